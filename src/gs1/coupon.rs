//! North American coupon codes: the content checks of AIs (8110) and (8112).
//!
//! (8110) carries the NACC coupon code: a GS1 Company Prefix with its length indicator
//! (VLI), an offer code, a save value, purchase requirements and optional fields 1-6 and 9.
//! (8112) carries a positive offer file coupon: format code, funder ID, offer code, serial.

use super::error::Gs1Error;

/// Reads the digit string left to right, reporting errors with their position.
struct Reader<'a> {
    ai: &'a str,
    offset: usize,
    data: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn err(&self, detail: &'static str) -> Gs1Error {
        Gs1Error::BadCoupon {
            ai: self.ai.to_owned(),
            position: self.offset + self.pos,
            detail,
        }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.data.len()
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).map(|b| b - b'0')
    }

    /// One digit, which must satisfy `ok`.
    fn digit(
        &mut self,
        ok: impl Fn(u8) -> bool,
        missing: &'static str,
        invalid: &'static str,
    ) -> Result<u8, Gs1Error> {
        let d = self.peek().ok_or_else(|| self.err(missing))?;
        if !ok(d) {
            return Err(self.err(invalid));
        }
        self.pos += 1;
        Ok(d)
    }

    /// `n` digits of which nothing is checked but presence.
    fn skip(&mut self, n: usize, truncated: &'static str) -> Result<&[u8], Gs1Error> {
        let part = self
            .data
            .get(self.pos..self.pos + n)
            .ok_or_else(|| self.err(truncated))?;
        self.pos += n;
        Ok(part)
    }

    /// A GS1 Company Prefix of `n` digits.
    fn gcp(&mut self, n: usize, truncated: &'static str) -> Result<(), Gs1Error> {
        self.skip(n, truncated).map(|_| ())
    }

    /// A YYMMDD date.
    fn date(
        &mut self,
        truncated: &'static str,
        invalid: &'static str,
    ) -> Result<[u8; 6], Gs1Error> {
        let start = self.pos;
        let part = self.skip(6, truncated)?;
        let mut date = [0u8; 6];
        date.copy_from_slice(part);
        if !super::linters::is_valid_date(&date, false) {
            self.pos = start;
            return Err(self.err(invalid));
        }
        Ok(date)
    }

    /// A purchase requirement: VLI 1-5, the requirement, its code (0-4, 9), a family code.
    fn purchase(&mut self, which: [&'static str; 5]) -> Result<(), Gs1Error> {
        let vli = self.digit(|d| (1..=5).contains(&d), which[0], which[1])?;
        self.skip(usize::from(vli), which[2])?;
        self.digit(|d| d <= 4 || d == 9, which[3], which[4])?;
        self.skip(3, "truncated purchase family code")?;
        Ok(())
    }

    /// A GCP with VLI 0-6 (+6 digits) or 9 (no GCP).
    fn optional_gcp(&mut self) -> Result<(), Gs1Error> {
        let vli = self.digit(
            |d| d <= 6 || d == 9,
            "missing purchase GCP length indicator",
            "invalid purchase GCP length indicator",
        )?;
        if vli != 9 {
            self.gcp(usize::from(vli) + 6, "truncated purchase GCP")?;
        }
        Ok(())
    }
}

fn reader<'a>(ai: &'a str, data: &'a [u8], offset: usize) -> Result<Reader<'a>, Gs1Error> {
    if let Some(p) = data.iter().position(|b| !b.is_ascii_digit()) {
        return Err(Gs1Error::NonDigit {
            ai: ai.to_owned(),
            position: offset + p,
            found: char::from(data[p]),
        });
    }
    Ok(Reader {
        ai,
        offset,
        data,
        pos: 0,
    })
}

/// Checks an (8110) North American coupon code.
pub fn coupon_code(ai: &str, data: &[u8], offset: usize) -> Result<(), Gs1Error> {
    let mut r = reader(ai, data, offset)?;
    let vli = r.digit(
        |d| d <= 6,
        "missing GCP length indicator",
        "invalid GCP length indicator",
    )?;
    r.gcp(usize::from(vli) + 6, "truncated GCP")?;
    r.skip(6, "truncated offer code")?;
    let vli = r.digit(
        |d| (1..=5).contains(&d),
        "missing save value length indicator",
        "invalid save value length indicator",
    )?;
    r.skip(usize::from(vli), "truncated save value")?;
    r.purchase([
        "missing 1st purchase requirement length indicator",
        "invalid 1st purchase requirement length indicator",
        "truncated 1st purchase requirement",
        "missing 1st purchase requirement code",
        "invalid 1st purchase requirement code",
    ])?;
    if r.peek() == Some(1) {
        r.pos += 1;
        r.digit(
            |d| d <= 3,
            "missing additional purchase rules code",
            "invalid additional purchase rules code",
        )?;
        r.purchase([
            "missing 2nd purchase requirement length indicator",
            "invalid 2nd purchase requirement length indicator",
            "truncated 2nd purchase requirement",
            "missing 2nd purchase requirement code",
            "invalid 2nd purchase requirement code",
        ])?;
        r.optional_gcp()?;
    }
    if r.peek() == Some(2) {
        r.pos += 1;
        r.purchase([
            "missing 3rd purchase requirement length indicator",
            "invalid 3rd purchase requirement length indicator",
            "truncated 3rd purchase requirement",
            "missing 3rd purchase requirement code",
            "invalid 3rd purchase requirement code",
        ])?;
        r.optional_gcp()?;
    }
    let mut expiry = None;
    if r.peek() == Some(3) {
        r.pos += 1;
        expiry = Some(r.date("too short for expiration date", "invalid expiration date")?);
    }
    if r.peek() == Some(4) {
        r.pos += 1;
        let start = r.date("too short for start date", "invalid start date")?;
        if expiry.is_some_and(|e| start > e) {
            return Err(r.err("expiration date before start date"));
        }
    }
    if r.peek() == Some(5) {
        r.pos += 1;
        let vli = r.digit(|_| true, "missing serial number length indicator", "")?;
        r.skip(usize::from(vli) + 6, "truncated serial number")?;
    }
    if r.peek() == Some(6) {
        r.pos += 1;
        let vli = r.digit(
            |d| (1..=7).contains(&d),
            "missing retailer GCP/GLN length indicator",
            "invalid retailer GCP/GLN length indicator",
        )?;
        r.gcp(usize::from(vli) + 6, "truncated retailer GCP/GLN")?;
    }
    if r.peek() == Some(9) {
        r.pos += 1;
        r.digit(
            |d| matches!(d, 0 | 1 | 2 | 5 | 6),
            "missing save value code",
            "invalid save value code",
        )?;
        r.digit(
            |d| d <= 2,
            "missing save value applies to item",
            "invalid save value applies to item",
        )?;
        r.digit(|_| true, "missing store coupon flag", "")?;
        r.digit(
            |d| d <= 1,
            "missing don't multiply flag",
            "invalid don't multiply flag",
        )?;
    }
    if r.at_end() {
        Ok(())
    } else {
        Err(r.err("excess data after the last optional field"))
    }
}

/// Checks an (8112) positive offer file coupon code.
pub fn coupon_pos_offer(ai: &str, data: &[u8], offset: usize) -> Result<(), Gs1Error> {
    let mut r = reader(ai, data, offset)?;
    r.digit(|d| d <= 1, "missing format code", "invalid format code")?;
    let vli = r.digit(
        |d| d <= 6,
        "missing funder ID length indicator",
        "invalid funder ID length indicator",
    )?;
    r.skip(usize::from(vli) + 6, "truncated funder ID")?;
    r.skip(6, "truncated offer code")?;
    let vli = r.digit(|_| true, "missing serial number length indicator", "")?;
    r.skip(usize::from(vli) + 6, "truncated serial number")?;
    if r.at_end() {
        Ok(())
    } else {
        Err(r.err("excess data after the serial number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coupon_code_minimal_and_with_options() {
        // GCP VLI 0 -> 6-digit GCP, offer code, save value VLI 1, 1st purchase VLI 1,
        // requirement code 0, family code.
        let minimal = b"012345612345615110123";
        assert_eq!(coupon_code("8110", minimal, 0), Ok(()));
        let with_expiry = b"0123456123456151101233251231";
        assert_eq!(coupon_code("8110", with_expiry, 0), Ok(()));
        let bad_expiry = b"0123456123456151101233251331";
        assert_eq!(
            coupon_code("8110", bad_expiry, 0).map_err(|e| e.code()),
            Err("BAD_COUPON")
        );
        assert!(coupon_code("8110", b"7", 0).is_err());
        assert!(coupon_code("8110", b"012345612345615110123X", 0).is_err());
        assert!(coupon_code("8110", b"0123456123456151101238", 0).is_err());
    }

    #[test]
    fn coupon_pos_offer_checks_structure() {
        assert_eq!(
            coupon_pos_offer("8112", b"001234561234560123456", 0),
            Ok(())
        );
        assert!(coupon_pos_offer("8112", b"201234561234560123456", 0).is_err());
        assert!(coupon_pos_offer("8112", b"001234561234560123456789", 0).is_err());
        assert!(coupon_pos_offer("8112", b"0012345612345", 0).is_err());
    }
}
