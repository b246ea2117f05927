//! The enumerations of the file format: every spelling a field of an enum type accepts, and
//! what a value is called in messages ("unknown lifecycle stage `x`"). Declared once here;
//! the model uses these types (`model` re-exports them), the reader checks values against
//! them and the JSON Schema lists them (through the field declarations, `Type::Enum`).

use super::fields::Enumeration;

/// A string enum of the file format, read by the loader from its spellings.
pub trait StrEnum: std::str::FromStr + Copy + 'static {
    /// Its spellings and its name in messages.
    const ENUM: Enumeration;
}

/// Defines a string enum of the file format with its spellings and its name in messages.
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident, $what:literal { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [&'static str] = &[$($text),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
        }

        impl StrEnum for $name {
            const ENUM: Enumeration = Enumeration { what: $what, values: $name::ALL };
        }

        impl std::str::FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s { $($text => Ok($name::$variant),)* _ => Err(()) }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(ModelType, "model type" {
    Proprietary = "proprietary",
    FineTuned = "fine-tuned",
    ThirdPartyFoundation = "third-party-foundation",
    RuleBased = "rule-based",
    Other = "other",
});
string_enum!(Lifecycle, "lifecycle stage" {
    Design = "design",
    Development = "development",
    Validation = "validation",
    Pilot = "pilot",
    Production = "production",
    Retired = "retired",
});
string_enum!(Criticality, "criticality" {
    Low = "low",
    Medium = "medium",
    High = "high",
    Critical = "critical",
});
string_enum!(Signal, "monitoring signal" {
    Performance = "performance",
    Drift = "drift",
    Fairness = "fairness",
    ControlEffectiveness = "control-effectiveness",
    Incidents = "incidents",
    External = "external",
});
string_enum!(TreatmentOption, "treatment option" {
    Avoid = "avoid",
    Mitigate = "mitigate",
    Transfer = "transfer",
    Accept = "accept",
});
string_enum!(TreatmentStatus, "treatment status" {
    Planned = "planned",
    InProgress = "in-progress",
    Done = "done",
});
string_enum!(RiskStatus, "risk status" {
    Open = "open",
    Closed = "closed",
});
string_enum!(ImpactScope, "impact scope" {
    Individual = "individual",
    Group = "group",
    Society = "society",
});
string_enum!(ImpactArea, "impact area" {
    Fairness = "fairness",
    Safety = "safety",
    HumanOversight = "human-oversight",
    FundamentalRights = "fundamental-rights",
    Privacy = "privacy",
    Transparency = "transparency",
    Environment = "environment",
    Other = "other",
});
string_enum!(IncidentKind, "incident kind" {
    Incident = "incident",
    NearMiss = "near-miss",
});
string_enum!(SoaStatus, "SoA status" {
    Implemented = "implemented",
    Partial = "partial",
    Planned = "planned",
    NotImplemented = "not-implemented",
});
string_enum!(EuRole, "EU AI Act role" {
    Provider = "provider",
    Deployer = "deployer",
    Importer = "importer",
    Distributor = "distributor",
    AuthorisedRepresentative = "authorised-representative",
    ProductManufacturer = "product-manufacturer",
});
string_enum!(EuClass, "EU AI Act classification" {
    Prohibited = "prohibited",
    HighRisk = "high-risk",
    Limited = "limited",
    Minimal = "minimal",
    OutOfScope = "out-of-scope",
});
string_enum!(DerogationCondition, "Art. 6(3) condition" {
    A = "art6-3-a",
    B = "art6-3-b",
    C = "art6-3-c",
    D = "art6-3-d",
});
string_enum!(ObligationStatus, "obligation status" {
    Planned = "planned",
    InProgress = "in-progress",
    Done = "done",
    NotApplicable = "not-applicable",
});
string_enum!(Harm, "serious-incident harm" {
    Death = "death",
    Health = "health",
    CriticalInfrastructure = "critical-infrastructure",
    FundamentalRights = "fundamental-rights",
    PropertyEnvironment = "property-environment",
});
