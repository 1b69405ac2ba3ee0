//! CBV 2.0 standard vocabulary: the short names the EPCIS 2.0 JSON-LD context defines, and their
//! web-URI (EPCIS 2.0) and URN (EPCIS 1.2) forms.
//!
//! The term lists are those of the official EPCIS 2.0 JSON-LD context, where every term `t` of a
//! vocabulary maps to `cbv:<Prefix>-t` (or `gs1:t` for sensor vocabularies).

/// Base of the CBV 2.0 web vocabulary.
pub(crate) const CBV_WEB: &str = "https://ref.gs1.org/cbv/";
/// Base of the GS1 web vocabulary (sensor measurement types and exceptions).
pub(crate) const GS1_VOC: &str = "https://gs1.org/voc/";

/// CBV business steps.
pub(crate) const BIZ_STEPS: &[&str] = &[
    "accepting",
    "arriving",
    "assembling",
    "collecting",
    "commissioning",
    "consigning",
    "creating_class_instance",
    "cycle_counting",
    "decommissioning",
    "departing",
    "destroying",
    "disassembling",
    "dispensing",
    "encoding",
    "entering_exiting",
    "holding",
    "inspecting",
    "installing",
    "killing",
    "loading",
    "other",
    "packing",
    "picking",
    "receiving",
    "removing",
    "repackaging",
    "repairing",
    "replacing",
    "reserving",
    "retail_selling",
    "sampling",
    "sensor_reporting",
    "shipping",
    "staging_outbound",
    "stock_taking",
    "stocking",
    "storing",
    "transporting",
    "unloading",
    "unpacking",
    "void_shipping",
];

/// CBV dispositions (also the values of `persistentDisposition`).
pub(crate) const DISPOSITIONS: &[&str] = &[
    "active",
    "available",
    "completeness_verified",
    "completeness_inferred",
    "conformant",
    "container_closed",
    "container_open",
    "damaged",
    "destroyed",
    "dispensed",
    "disposed",
    "encoded",
    "expired",
    "in_progress",
    "in_transit",
    "inactive",
    "mismatch_instance",
    "mismatch_class",
    "mismatch_quantity",
    "needs_replacement",
    "no_pedigree_match",
    "non_conformant",
    "non_sellable_other",
    "partially_dispensed",
    "recalled",
    "reserved",
    "retail_sold",
    "returned",
    "sellable_accessible",
    "sellable_not_accessible",
    "stolen",
    "unavailable",
    "unknown",
];

/// CBV business transaction types.
pub(crate) const BIZ_TRANSACTION_TYPES: &[&str] = &[
    "bol",
    "cert",
    "desadv",
    "inv",
    "pedigree",
    "po",
    "poc",
    "prodorder",
    "recadv",
    "rma",
    "testprd",
    "testres",
    "upevt",
];

/// CBV source/destination types.
pub(crate) const SOURCE_DEST_TYPES: &[&str] = &["owning_party", "possessing_party", "location"];

/// CBV error reasons.
pub(crate) const ERROR_REASONS: &[&str] = &["did_not_occur", "incorrect_data"];

/// GS1 web vocabulary measurement types (sensor reports).
pub(crate) const MEASUREMENT_TYPES: &[&str] = &[
    "AbsoluteHumidity",
    "AbsorbedDose",
    "AbsorbedDoseRate",
    "Acceleration",
    "Radioactivity",
    "Altitude",
    "AmountOfSubstance",
    "AmountOfSubstancePerUnitVolume",
    "Angle",
    "AngularAcceleration",
    "AngularMomentum",
    "AngularVelocity",
    "Area",
    "Capacitance",
    "Conductance",
    "Conductivity",
    "Count",
    "Density",
    "Dimensionless",
    "DoseEquivalent",
    "DoseEquivalentRate",
    "DynamicViscosity",
    "ElectricCharge",
    "ElectricCurrent",
    "ElectricCurrentDensity",
    "ElectricFieldStrength",
    "Energy",
    "Exposure",
    "Force",
    "Frequency",
    "Illuminance",
    "Inductance",
    "Irradiance",
    "KinematicViscosity",
    "Length",
    "LinearMomentum",
    "Luminance",
    "LuminousFlux",
    "LuminousIntensity",
    "MagneticFlux",
    "MagneticFluxDensity",
    "MagneticVectorPotential",
    "Mass",
    "MassConcentration",
    "MassFlowRate",
    "MassPerAreaTime",
    "MemoryCapacity",
    "MolalityOfSolute",
    "MolarEnergy",
    "MolarMass",
    "MolarVolume",
    "Power",
    "Pressure",
    "RadiantFlux",
    "RadiantIntensity",
    "RelativeHumidity",
    "Resistance",
    "Resistivity",
    "SolidAngle",
    "SpecificVolume",
    "Speed",
    "SurfaceDensity",
    "SurfaceTension",
    "Temperature",
    "Time",
    "Torque",
    "Voltage",
    "Volume",
    "VolumeFlowRate",
    "VolumeFraction",
    "VolumetricFlux",
    "Wavenumber",
];

/// GS1 web vocabulary sensor exceptions.
pub(crate) const SENSOR_EXCEPTIONS: &[&str] = &["ALARM_CONDITION", "ERROR_CONDITION"];

/// CBV sensor components.
pub(crate) const COMPONENTS: &[&str] = &[
    "x",
    "y",
    "z",
    "axial_distance",
    "azimuth",
    "height",
    "spherical_radius",
    "polar_angle",
    "elevation_angle",
    "easting",
    "northing",
    "latitude",
    "longitude",
    "altitude",
];

/// One CBV vocabulary: its terms, its 2.0 web-URI prefix and its 1.2 URN prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Vocabulary {
    /// The short names (JSON-LD terms).
    pub terms: &'static [&'static str],
    /// Web URI of a term is `web_prefix + term`.
    pub web_prefix: &'static str,
    /// URN of a term in EPCIS 1.2 is `urn_prefix + term` (empty when 1.2 has none).
    pub urn_prefix: &'static str,
}

/// Business steps.
pub(crate) const BIZ_STEP: Vocabulary = Vocabulary {
    terms: BIZ_STEPS,
    web_prefix: "https://ref.gs1.org/cbv/BizStep-",
    urn_prefix: "urn:epcglobal:cbv:bizstep:",
};
/// Dispositions.
pub(crate) const DISPOSITION: Vocabulary = Vocabulary {
    terms: DISPOSITIONS,
    web_prefix: "https://ref.gs1.org/cbv/Disp-",
    urn_prefix: "urn:epcglobal:cbv:disp:",
};
/// Business transaction types.
pub(crate) const BIZ_TRANSACTION_TYPE: Vocabulary = Vocabulary {
    terms: BIZ_TRANSACTION_TYPES,
    web_prefix: "https://ref.gs1.org/cbv/BTT-",
    urn_prefix: "urn:epcglobal:cbv:btt:",
};
/// Source/destination types.
pub(crate) const SOURCE_DEST_TYPE: Vocabulary = Vocabulary {
    terms: SOURCE_DEST_TYPES,
    web_prefix: "https://ref.gs1.org/cbv/SDT-",
    urn_prefix: "urn:epcglobal:cbv:sdt:",
};
/// Error reasons.
pub(crate) const ERROR_REASON: Vocabulary = Vocabulary {
    terms: ERROR_REASONS,
    web_prefix: "https://ref.gs1.org/cbv/ER-",
    urn_prefix: "urn:epcglobal:cbv:er:",
};
/// Sensor measurement types.
pub(crate) const MEASUREMENT_TYPE: Vocabulary = Vocabulary {
    terms: MEASUREMENT_TYPES,
    web_prefix: GS1_VOC,
    urn_prefix: "",
};
/// Sensor exceptions.
pub(crate) const SENSOR_EXCEPTION: Vocabulary = Vocabulary {
    terms: SENSOR_EXCEPTIONS,
    web_prefix: GS1_VOC,
    urn_prefix: "",
};
/// Sensor components.
pub(crate) const COMPONENT: Vocabulary = Vocabulary {
    terms: COMPONENTS,
    web_prefix: "https://ref.gs1.org/cbv/Comp-",
    urn_prefix: "",
};

impl Vocabulary {
    /// Whether `value` is one of the short names.
    pub(crate) fn is_term(&self, value: &str) -> bool {
        self.terms.contains(&value)
    }

    /// EPCIS 2.0 form: a short name becomes its web URI; anything else (a URI) is kept.
    pub(crate) fn web_uri(&self, value: &str) -> String {
        if self.is_term(value) {
            format!("{}{value}", self.web_prefix)
        } else {
            value.to_owned()
        }
    }

    /// EPCIS 1.2 form: a short name (or its web URI) becomes its URN; anything else is kept.
    pub(crate) fn urn(&self, value: &str) -> String {
        let short = self.short_name(value);
        if self.is_term(&short) && !self.urn_prefix.is_empty() {
            format!("{}{short}", self.urn_prefix)
        } else {
            value.to_owned()
        }
    }

    /// The short name of `value` when it is a term, its web URI or its URN; else `value`.
    pub(crate) fn short_name(&self, value: &str) -> String {
        let stripped = value
            .strip_prefix(self.web_prefix)
            .or_else(|| {
                if self.urn_prefix.is_empty() {
                    None
                } else {
                    value.strip_prefix(self.urn_prefix)
                }
            })
            .unwrap_or(value);
        if self.is_term(stripped) {
            stripped.to_owned()
        } else {
            value.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_a_business_step() {
        assert_eq!(
            BIZ_STEP.web_uri("packing"),
            "https://ref.gs1.org/cbv/BizStep-packing"
        );
        assert_eq!(BIZ_STEP.urn("packing"), "urn:epcglobal:cbv:bizstep:packing");
        assert_eq!(
            BIZ_STEP.urn("https://ref.gs1.org/cbv/BizStep-packing"),
            "urn:epcglobal:cbv:bizstep:packing"
        );
        assert_eq!(
            BIZ_STEP.short_name("urn:epcglobal:cbv:bizstep:packing"),
            "packing"
        );
        assert_eq!(
            BIZ_STEP.web_uri("https://example.com/step"),
            "https://example.com/step"
        );
        assert_eq!(BIZ_STEP.short_name("not_a_step"), "not_a_step");
    }

    #[test]
    fn sensor_vocabularies_have_no_urn_form() {
        assert_eq!(
            MEASUREMENT_TYPE.web_uri("Temperature"),
            "https://gs1.org/voc/Temperature"
        );
        assert_eq!(MEASUREMENT_TYPE.urn("Temperature"), "Temperature");
        assert_eq!(COMPONENT.web_uri("x"), "https://ref.gs1.org/cbv/Comp-x");
        assert!(CBV_WEB.ends_with('/'));
    }
}
