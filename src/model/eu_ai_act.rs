//! The EU AI Act pack as the rules and documents see it (SPEC §10): application dates,
//! prohibited practices, Annex III points, Annex I acts, Art. 50 duties, roles and the
//! obligations by role and tier, each with its source and status; and the one place that
//! decides which obligations of the pack a system's classification and roles bring, and from
//! which day each applies ([`Profile::obligations`]).
//!
//! Plain data: `load::taxonomy` reads the embedded `taxonomy/eu-ai-act.yaml` into [`Pack`];
//! the register's `[eu_ai_act]` settings ([`EuAiActConfig`]) override its dates. What the law
//! says is the pack's; what applies to a system is decided here, once, so `check`,
//! `obligations`, `due`, `show` and the governance report cannot disagree.

use super::{Date, EuAiAct, EuClass, EuRole, Harm};
use std::collections::BTreeMap;

/// How sure the pack is of an entry (the reference's statuses).
pub const STATUSES: &[&str] = &[
    "confirmed",
    "single_source",
    "disputed",
    "unknown",
    "editorial",
];

/// `[eu_ai_act]` of airisk.toml.
#[derive(Clone, Debug, Default)]
pub struct EuAiActConfig {
    /// The profile is on: the EU AI Act rules run.
    pub applies: bool,
    /// The organisation is a body governed by public law or provides public services
    /// (Art. 27(1)): the FRIA covers every Annex III point but 2.
    pub public_service: bool,
    /// `[eu_ai_act.dates]`: application dates overridden by key.
    pub dates: BTreeMap<String, Date>,
}

#[derive(Clone, Debug)]
pub struct Pack {
    pub verified_on: Date,
    pub regulation: String,
    pub caveat: String,
    pub dates: Vec<DateEntry>,
    pub practices: Vec<Practice>,
    pub annex_iii: Vec<AnnexIiiPoint>,
    pub derogations: Vec<Described>,
    pub annex_i: Vec<AnnexIAct>,
    pub transparency: Vec<Duty>,
    pub roles: Vec<Described>,
    pub obligations: Vec<Obligation>,
    pub deadlines: Deadlines,
}

/// One application date, by key.
#[derive(Clone, Debug)]
pub struct DateEntry {
    pub key: String,
    /// `None`: no source states it (`status: unknown`); `practical` says what to use.
    pub date: Option<Date>,
    /// The keys whose date applies instead, by route (Annex III, then Annex I).
    pub practical: Vec<String>,
    pub status: String,
    pub scope: String,
    pub source: String,
}

#[derive(Clone, Debug)]
pub struct Practice {
    pub id: String,
    pub summary: String,
    pub date_key: String,
    pub status: String,
    pub source: String,
}

#[derive(Clone, Debug)]
pub struct AnnexIiiPoint {
    pub id: String,
    pub area: String,
    pub summary: String,
    pub source: String,
}

/// An id with a text and its source (a derogation condition, a role).
#[derive(Clone, Debug)]
pub struct Described {
    pub id: String,
    pub text: String,
    pub source: String,
}

#[derive(Clone, Debug)]
pub struct AnnexIAct {
    pub id: String,
    pub section: String,
    pub act: String,
    pub name: String,
    pub status: String,
    pub source: String,
}

/// An Art. 50 transparency duty.
#[derive(Clone, Debug)]
pub struct Duty {
    pub id: String,
    pub who: String,
    pub what: String,
    pub date_key: String,
    /// For systems placed on the market before the general date (Art. 111(4)).
    pub legacy_date_key: Option<String>,
    pub status: String,
    pub source: String,
}

/// One obligation of the pack.
#[derive(Clone, Debug)]
pub struct Obligation {
    pub id: String,
    /// Role ids as the pack writes them (`authorised_representative`).
    pub roles: Vec<String>,
    pub applies_to: String,
    /// A deployer type the register cannot otherwise tell: `public-service`,
    /// `law-enforcement`, or `fria` (see [`ART27`]); empty for every such system.
    pub only_for: String,
    pub article: String,
    pub summary: String,
    /// One key, or the Annex III and the Annex I key (by route).
    pub date_keys: Vec<String>,
    pub status: String,
    pub source: String,
}

/// Art. 73 deadlines, in days after awareness.
#[derive(Clone, Debug)]
pub struct Deadlines {
    pub date_key: String,
    pub general: u32,
    pub death: u32,
    pub critical_infrastructure: u32,
    pub source: String,
}

/// The Art. 27 obligation: met by an impact assessment with `fria: true`, and reported only
/// by `fria-missing`.
pub const ART27: &str = "obl-dep-art27";
/// The Annex III points whose deployers always owe a FRIA (Art. 27(1)).
pub const FRIA_POINTS: &[&str] = &["annex-iii-5-b", "annex-iii-5-c"];
/// The Annex III point never covered by Art. 27.
pub const FRIA_EXCLUDED: &str = "annex-iii-2";

/// The route of a high-risk classification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    AnnexIii,
    AnnexI,
}

/// When an obligation applies to a system.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applies {
    /// The day from which it applies; `None` when neither the pack, an override nor a
    /// practical key gives one.
    pub date: Option<Date>,
    /// The date key used.
    pub key: String,
    /// The status of that date when it is not confirmed (`unknown: the high-risk date is
    /// used`), for every document to show.
    pub caveat: Option<String>,
    /// Set by `[eu_ai_act.dates]`.
    pub overridden: bool,
}

/// One obligation that applies to a system.
#[derive(Clone, Debug)]
pub struct Applicable<'p> {
    /// The pack's obligation id, or an Art. 50 duty id.
    pub id: &'p str,
    pub article: String,
    pub summary: &'p str,
    /// The obligation's own status in the pack when not confirmed (`disputed`).
    pub status: &'p str,
    pub applies: Applies,
}

/// The pack with the register's overrides: the one source of dates and applicability.
pub struct Profile<'a> {
    pub pack: &'a Pack,
    pub config: &'a EuAiActConfig,
}

impl Pack {
    pub fn date_entry(&self, key: &str) -> Option<&DateEntry> {
        self.dates.iter().find(|d| d.key == key)
    }

    pub fn point(&self, id: &str) -> Option<&AnnexIiiPoint> {
        self.annex_iii.iter().find(|p| p.id == id)
    }

    pub fn act(&self, id: &str) -> Option<&AnnexIAct> {
        self.annex_i.iter().find(|p| p.id == id)
    }

    pub fn duty(&self, id: &str) -> Option<&Duty> {
        self.transparency.iter().find(|p| p.id == id)
    }

    pub fn obligation(&self, id: &str) -> Option<&Obligation> {
        self.obligations.iter().find(|p| p.id == id)
    }

    /// The article and summary of an obligation or duty id.
    pub fn describe(&self, id: &str) -> Option<(String, &str)> {
        if let Some(o) = self.obligation(id) {
            return Some((o.article.clone(), &o.summary));
        }
        let d = self.duty(id)?;
        Some((art50_article(&d.id), &d.what))
    }
}

/// `art50-4-text` → `Art. 50(4)`.
fn art50_article(id: &str) -> String {
    let n = id
        .strip_prefix("art50-")
        .and_then(|r| r.split('-').next())
        .unwrap_or("");
    format!("Art. 50({n})")
}

/// The register's role name for the pack's (`authorised_representative`).
pub fn role_of(pack_role: &str) -> Option<EuRole> {
    pack_role.replace('_', "-").parse().ok()
}

/// The route of a high-risk system: Annex III, Annex I, both (the earlier date applies), or
/// neither.
pub fn routes(block: &EuAiAct) -> Vec<Route> {
    let mut out = Vec::new();
    if block.annex_iii.is_some() {
        out.push(Route::AnnexIii);
    }
    if block.annex_i.is_some() {
        out.push(Route::AnnexI);
    }
    out
}

impl Profile<'_> {
    /// The date of `key`, overridden or from the pack (`None`: unknown key, or no date).
    pub fn date(&self, key: &str) -> Option<Date> {
        if let Some(d) = self.config.dates.get(key) {
            return Some(*d);
        }
        self.pack.date_entry(key)?.date
    }

    /// When something dated by `keys` (one key, or by route) applies to a system on
    /// `routes`: the key of its route (the earlier when it has both), and for a key the pack
    /// leaves undated, its practical key for the route.
    pub fn applies(&self, keys: &[String], routes: &[Route]) -> Applies {
        let pick = |keys: &[String]| -> Vec<String> {
            if keys.len() < 2 {
                return keys.to_vec();
            }
            let mut out = Vec::new();
            for r in routes {
                let i = match r {
                    Route::AnnexIii => 0,
                    Route::AnnexI => 1,
                };
                if let Some(k) = keys.get(i) {
                    out.push(k.clone());
                }
            }
            if out.is_empty() {
                out.push(keys[0].clone());
            }
            out
        };
        let mut best: Option<Applies> = None;
        for key in pick(keys) {
            let a = self.applies_key(&key, routes, &pick);
            best = match best {
                Some(b) if b.date.is_some() && (a.date.is_none() || b.date <= a.date) => Some(b),
                _ => Some(a),
            };
        }
        best.unwrap_or(Applies {
            date: None,
            key: String::new(),
            caveat: Some("no date key".into()),
            overridden: false,
        })
    }

    fn applies_key(
        &self,
        key: &str,
        routes: &[Route],
        pick: &dyn Fn(&[String]) -> Vec<String>,
    ) -> Applies {
        let entry = self.pack.date_entry(key);
        let status = entry.map_or("unknown", |e| e.status.as_str());
        if let Some(d) = self.config.dates.get(key) {
            return Applies {
                date: Some(*d),
                key: key.into(),
                caveat: Some("set by [eu_ai_act.dates] in airisk.toml".into()),
                overridden: true,
            };
        }
        let caveat = (status != "confirmed").then(|| status.to_string());
        match entry.and_then(|e| e.date) {
            Some(d) => Applies {
                date: Some(d),
                key: key.into(),
                caveat,
                overridden: false,
            },
            None => {
                let practical = entry.map(|e| pick(&e.practical)).unwrap_or_default();
                let used = practical
                    .iter()
                    .filter_map(|k| self.date(k).map(|d| (d, k)))
                    .min();
                match used {
                    Some((d, k)) => Applies {
                        date: Some(d),
                        key: key.into(),
                        caveat: Some(format!(
                            "{status}: no source dates `{key}`; the {k} date is used"
                        )),
                        overridden: false,
                    },
                    None => {
                        let _ = routes;
                        Applies {
                            date: None,
                            key: key.into(),
                            caveat: Some(format!("{status}: no source dates `{key}`")),
                            overridden: false,
                        }
                    }
                }
            }
        }
    }

    /// The date from which the system's high-risk requirements (and so Art. 72/73) apply.
    pub fn high_risk_date(&self, block: &EuAiAct) -> Option<Date> {
        let keys = [
            "high_risk_annex_iii".to_string(),
            "high_risk_annex_i".into(),
        ];
        let routes = routes(block);
        if routes.is_empty() {
            return None;
        }
        self.applies(&keys, &routes).date
    }

    /// Whether a pack obligation's `applies_to` covers the system.
    fn covers(&self, o: &Obligation, block: &EuAiAct) -> bool {
        let class = block.class();
        let high = class == Some(EuClass::HighRisk);
        let tier = match o.applies_to.as_str() {
            "all_ai_systems" => class.is_some_and(|c| c != EuClass::OutOfScope),
            "prohibited" => class == Some(EuClass::Prohibited),
            "high_risk" => high,
            "high_risk_annex_iii" => high && block.annex_iii.is_some(),
            "annex_iii_not_high_risk_art6_3" => {
                !high && block.annex_iii.is_some() && block.derogation.is_some()
            }
            "gpai" => block.is_gpai(),
            // The block does not say whether a model is open-source or of systemic risk:
            // those obligations are recorded by hand (docs/eu-ai-act.md).
            _ => false,
        };
        let only = match o.only_for.as_str() {
            "" | "fria" => true,
            "public-service" => self.config.public_service,
            _ => false,
        };
        let role = o.roles.iter().filter_map(|r| role_of(r)).any(|r| {
            block.has_role(r)
                // The product manufacturer is the provider of an Annex I safety component
                // (Art. 25(3)).
                || (r == EuRole::Provider
                    && block.annex_i.is_some()
                    && block.has_role(EuRole::ProductManufacturer))
        });
        tier && only && role
    }

    /// Every obligation the pack assigns to the system's roles and classification, and each
    /// Art. 50 duty it lists, in pack order, with the day from which it applies.
    pub fn obligations<'p>(&'p self, block: &EuAiAct) -> Vec<Applicable<'p>> {
        let routes = routes(block);
        let mut out = Vec::new();
        for o in &self.pack.obligations {
            if !self.covers(o, block) {
                continue;
            }
            out.push(Applicable {
                id: &o.id,
                article: o.article.clone(),
                summary: &o.summary,
                status: &o.status,
                applies: self.applies(&o.date_keys, &routes),
            });
        }
        for d in &self.pack.transparency {
            if !block.transparency.iter().any(|t| t.value == d.id) {
                continue;
            }
            out.push(Applicable {
                id: &d.id,
                article: art50_article(&d.id),
                summary: &d.what,
                status: &d.status,
                applies: self.applies(std::slice::from_ref(&d.date_key), &routes),
            });
        }
        out
    }

    /// Whether Art. 27 covers a deployer of this high-risk system: Annex III 5(b) or 5(c),
    /// or any Annex III point but 2 when the organisation provides public services.
    pub fn fria_covers(&self, block: &EuAiAct) -> bool {
        let Some(point) = &block.annex_iii else {
            return false;
        };
        block.class() == Some(EuClass::HighRisk)
            && block.has_role(EuRole::Deployer)
            && (FRIA_POINTS.contains(&point.value.as_str())
                || (self.config.public_service && point.value != FRIA_EXCLUDED))
    }

    /// The day Art. 27 applies (the date of its obligation).
    pub fn fria_date(&self) -> Option<Date> {
        let o = self.pack.obligation(ART27)?;
        self.applies(&o.date_keys, &[Route::AnnexIii]).date
    }

    /// The Art. 73 deadline, in days after awareness, for a harm.
    pub fn report_days(&self, harm: Option<Harm>) -> u32 {
        let d = &self.pack.deadlines;
        match harm {
            Some(Harm::Death) => d.death,
            Some(Harm::CriticalInfrastructure) => d.critical_infrastructure,
            _ => d.general,
        }
    }
}
