//! Every linter of the Syntax Dictionary has a real implementation: one accepted and one
//! rejected example each, checked through `linters::lint`.

use packbench::gs1::ai::Linter;
use packbench::gs1::linters::lint;

#[test]
fn every_linter_accepts_and_rejects() {
    let cases: &[(Linter, &str, &str)] = &[
        (Linter::Csum, "09506000134352", "09506000134353"),
        (
            Linter::CsumAlpha,
            "1987654Ad4X4bL5ttr2310c2K",
            "1987654Ad4X4bL5ttr2310c2L",
        ),
        (Linter::GcpPos1, "9506000", "95A6000"),
        (Linter::GcpPos2, "09506000", "0950A000"),
        (Linter::YyMmD0, "270200", "270230"),
        (Linter::YyMmDd, "280229", "270200"),
        (Linter::YyyyMmD0, "20000229", "19000229"),
        (Linter::YyyyMmDd, "20240101", "20240100"),
        (Linter::HhMi, "2359", "2360"),
        (Linter::Hh, "23", "24"),
        (Linter::Mi, "59", "60"),
        (Linter::Ss, "59", "61"),
        (Linter::Iso3166, "276", "987"),
        (Linter::Iso3166999, "999", "998"),
        (Linter::Iso3166Alpha2, "VN", "XZ"),
        (Linter::Iso4217, "978", "001"),
        (Linter::Iso5218, "9", "3"),
        (
            Linter::Iban,
            "DE89370400440532013000",
            "DE89370400440532013001",
        ),
        (Linter::PcEnc, "A%20B", "A%2GB"),
        (
            Linter::CouponCode,
            "012345612345615110123",
            "012345612345615110123X",
        ),
        (
            Linter::CouponPosOffer,
            "001234561234560123456",
            "00123456123456012345",
        ),
        (Linter::Latitude, "1800000000", "1800000001"),
        (Linter::Longitude, "3600000000", "3600000001"),
        (Linter::YesNo, "1", "2"),
        (Linter::Hyphen, "-", "+"),
        (Linter::ImporterIdx, "_", "!"),
        (Linter::PackageType, "PX", "PXX"),
        (Linter::MediaType, "10", "11"),
        (Linter::PosInSeqSlash, "2/10", "10/2"),
        (Linter::NonZero, "0010", "0000"),
        (Linter::Zero, "0", "1"),
        (Linter::Winding, "9", "2"),
        (Linter::PieceOfTotal, "0102", "0201"),
        (Linter::NoZeroPrefix, "120", "012"),
        (Linter::HasNonDigit, "12A", "123"),
    ];
    for linter in Linter::ALL {
        assert!(
            cases.iter().any(|(l, _, _)| l == linter),
            "no example for {}",
            linter.name()
        );
    }
    for (linter, good, bad) in cases {
        assert_eq!(
            lint(*linter, "99", good.as_bytes(), 0),
            Ok(()),
            "{} {good}",
            linter.name()
        );
        let err = lint(*linter, "99", bad.as_bytes(), 0).expect_err(bad);
        assert!(err.to_string().contains("(99)"), "{err}");
    }
}

#[test]
fn dates_use_the_gs1_century_window_for_leap_years() {
    // 00 is 2000 (a leap year), not 1900.
    assert_eq!(lint(Linter::YyMmDd, "17", b"000229", 0), Ok(()));
    assert_eq!(packbench::gs1::linters::year_from_yy(99), 1999);
    assert_eq!(packbench::gs1::linters::year_from_yy(30), 2030);
}
