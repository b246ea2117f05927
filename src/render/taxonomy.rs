//! The built-in taxonomy (`airisk taxonomy`): each list as a titled table in markdown-like
//! borders (whole when piped, fitted to the terminal when there is one: `table::Plain`), or
//! every list asked for in one versioned JSON document. The lists are the embedded reference data
//! (`report::taxonomy`), not register text.

use super::table::{Holds, Plain};
use crate::report::taxonomy::{List, Pack, Taxonomy};
use anyhow::Result;
use serde_json::json;

/// One list as a titled table, fitted to the terminal's `width` when there is one.
pub fn table(t: &Taxonomy, what: List, width: Option<u16>) -> String {
    let (title, table) = match what {
        List::Categories => {
            let mut table = Plain::new(&[
                ("id", Holds::Value),
                ("name", Holds::Text),
                ("typical controls", Holds::List),
                ("typical treatment", Holds::Text),
            ]);
            for c in &t.categories {
                table.add_row(vec![
                    c.id.clone(),
                    c.name.clone(),
                    c.controls.join(", "),
                    c.treatment.clone(),
                ]);
            }
            ("Risk categories", table)
        }
        List::Controls => {
            let mut table = Plain::new(&[
                ("id", Holds::Value),
                ("title", Holds::Text),
                ("group", Holds::Text),
                ("NIST AI RMF", Holds::List),
            ]);
            for g in &t.groups {
                for c in &g.controls {
                    table.add_row(vec![
                        c.id.clone(),
                        c.title.clone(),
                        format!("{} {}", g.id, g.title),
                        c.nist.join(", "),
                    ]);
                }
            }
            ("ISO/IEC 42001 Annex A controls", table)
        }
        List::Sources => {
            let mut table = Plain::new(&[
                ("id", Holds::Value),
                ("name", Holds::Text),
                ("kind", Holds::Value),
            ]);
            for o in &t.annex_c.objectives {
                table.add_row(vec![o.id.clone(), o.name.clone(), "objective".into()]);
            }
            for s in &t.annex_c.sources {
                table.add_row(vec![s.id.clone(), s.name.clone(), "risk source".into()]);
            }
            ("ISO/IEC 42001 Annex C", table)
        }
        List::Nist => {
            let mut table = Plain::new(&[
                ("id", Holds::Value),
                ("label (editorial)", Holds::Text),
                ("ISO/IEC 42001 clauses", Holds::List),
            ]);
            for f in &t.nist {
                table.add_row(vec![f.id.clone(), f.name.clone(), f.clauses.join(", ")]);
                for c in &f.categories {
                    table.add_row(vec![c.id.clone(), c.label.clone(), String::new()]);
                    for s in &c.subcategories {
                        table.add_row(vec![s.id.clone(), s.label.clone(), String::new()]);
                    }
                }
            }
            ("NIST AI RMF 1.0", table)
        }
        List::EuAiAct => return eu_ai_act(&t.eu_ai_act, width),
    };
    format!("{title}\n\n{}\n", table.render(width))
}

/// A date of the pack as shown: the day, or `unknown` with the keys used instead.
fn shown_date(p: &Pack, key: &str) -> String {
    let Some(e) = p.date_entry(key) else {
        return format!("{key}?");
    };
    match e.date {
        Some(d) => d.to_string(),
        None if e.practical.is_empty() => "none".into(),
        None => format!("unknown (in practice: {})", e.practical.join(" / ")),
    }
}

/// The dates of a list of keys (one, or by route: Annex III / Annex I).
fn shown_dates(p: &Pack, keys: &[String]) -> String {
    let dates: Vec<String> = keys.iter().map(|k| shown_date(p, k)).collect();
    dates.join(" / ")
}

/// `confirmed` shown as nothing, so what is uncertain stands out.
fn shown_status(s: &str) -> String {
    if s == "confirmed" {
        String::new()
    } else {
        s.to_string()
    }
}

/// The EU AI Act pack: a heading with its `verified_on` date, then one table per part.
fn eu_ai_act(p: &Pack, width: Option<u16>) -> String {
    let mut out = format!("EU AI Act pack, verified on {}\n", p.verified_on);
    for para in [
        p.regulation.as_str(),
        "",
        p.caveat.as_str(),
        "Status: blank = confirmed; single_source, disputed, unknown, editorial as the sources say.",
    ] {
        out.push_str(&wrap(para, width));
    }
    let mut part = |title: &str, table: Plain| {
        out.push_str(&format!("\n{title}\n\n{}\n", table.render(width)));
    };
    let mut t = Plain::new(&[
        ("key", Holds::Value),
        ("applies from", Holds::Text),
        ("status", Holds::Value),
        ("scope", Holds::Text),
    ]);
    for d in &p.dates {
        t.add_row(vec![
            d.key.clone(),
            shown_date(p, &d.key),
            shown_status(&d.status),
            d.scope.clone(),
        ]);
    }
    part("Application dates", t);
    let mut t = Plain::new(&[
        ("id", Holds::Value),
        ("from", Holds::Value),
        ("status", Holds::Value),
        ("practice", Holds::Text),
    ]);
    for x in &p.practices {
        t.add_row(vec![
            x.id.clone(),
            shown_date(p, &x.date_key),
            shown_status(&x.status),
            x.summary.clone(),
        ]);
    }
    part("Prohibited practices (Art. 5)", t);
    let mut t = Plain::new(&[
        ("id", Holds::Value),
        ("area", Holds::Text),
        ("use case", Holds::Text),
    ]);
    for x in &p.annex_iii {
        t.add_row(vec![x.id.clone(), x.area.clone(), x.summary.clone()]);
    }
    part(
        &format!(
            "Annex III high-risk use cases (from {})",
            shown_date(p, "high_risk_annex_iii")
        ),
        t,
    );
    let mut t = Plain::new(&[("id", Holds::Value), ("condition", Holds::Text)]);
    for x in &p.derogations {
        t.add_row(vec![x.id.clone(), x.text.clone()]);
    }
    part("Art. 6(3) derogation (never with profiling)", t);
    let mut t = Plain::new(&[
        ("id", Holds::Value),
        ("act", Holds::Text),
        ("product", Holds::Text),
        ("status", Holds::Value),
    ]);
    for x in &p.annex_i {
        t.add_row(vec![
            x.id.clone(),
            x.act.clone(),
            x.name.clone(),
            shown_status(&x.status),
        ]);
    }
    part(
        &format!(
            "Annex I Union harmonisation legislation (from {})",
            shown_date(p, "high_risk_annex_i")
        ),
        t,
    );
    let mut t = Plain::new(&[
        ("id", Holds::Value),
        ("who", Holds::Text),
        ("from", Holds::Text),
        ("duty", Holds::Text),
    ]);
    for x in &p.transparency {
        let mut from = shown_date(p, &x.date_key);
        if let Some(k) = &x.legacy_date_key {
            from.push_str(&format!("; on the market before: {}", shown_date(p, k)));
        }
        t.add_row(vec![x.id.clone(), x.who.clone(), from, x.what.clone()]);
    }
    part("Art. 50 transparency duties", t);
    let mut t = Plain::new(&[("role", Holds::Value), ("definition", Holds::Text)]);
    for x in &p.roles {
        t.add_row(vec![x.id.replace('_', "-"), x.text.clone()]);
    }
    part("Roles", t);
    let mut t = Plain::new(&[
        ("id", Holds::Value),
        ("roles", Holds::List),
        ("applies to", Holds::Value),
        ("article", Holds::Text),
        ("from (Annex III / Annex I)", Holds::Text),
        ("status", Holds::Value),
    ]);
    for o in &p.obligations {
        let roles: Vec<String> = o.roles.iter().map(|r| r.replace('_', "-")).collect();
        t.add_row(vec![
            o.id.clone(),
            roles.join(", "),
            o.applies_to.clone(),
            o.article.clone(),
            shown_dates(p, &o.date_keys),
            shown_status(&o.status),
        ]);
    }
    part("Obligations by role and tier", t);
    let d = &p.deadlines;
    out.push('\n');
    out.push_str(&wrap(
        &format!(
            "Serious incidents (Art. 73): report within {} days of awareness, {} for a death, {} for critical infrastructure; from {} ({}).",
            d.general,
            d.death,
            d.critical_infrastructure,
            shown_date(p, &d.date_key),
            d.source
        ),
        width,
    ));
    out
}

/// A paragraph as lines of at most `width` characters (broken between words; a word longer
/// than the width stands alone), or one line when there is no terminal.
fn wrap(text: &str, width: Option<u16>) -> String {
    let Some(width) = width.map(usize::from) else {
        return format!("{text}\n");
    };
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// The pack as JSON: every entry with its source and status.
fn eu_ai_act_json(p: &Pack) -> serde_json::Value {
    json!({
        "verified_on": p.verified_on.to_string(),
        "regulation": p.regulation,
        "caveat": p.caveat,
        "dates": p.dates.iter().map(|d| json!({
            "key": d.key, "date": d.date.map(|x| x.to_string()), "practical": d.practical,
            "status": d.status, "scope": d.scope, "source": d.source,
        })).collect::<Vec<_>>(),
        "practices": p.practices.iter().map(|x| json!({
            "id": x.id, "summary": x.summary, "date_key": x.date_key,
            "status": x.status, "source": x.source,
        })).collect::<Vec<_>>(),
        "annex_iii": p.annex_iii.iter().map(|x| json!({
            "id": x.id, "area": x.area, "summary": x.summary, "source": x.source,
        })).collect::<Vec<_>>(),
        "derogations": p.derogations.iter().map(|x| json!({
            "id": x.id, "summary": x.text, "source": x.source,
        })).collect::<Vec<_>>(),
        "annex_i": p.annex_i.iter().map(|x| json!({
            "id": x.id, "section": x.section, "act": x.act, "name": x.name,
            "status": x.status, "source": x.source,
        })).collect::<Vec<_>>(),
        "transparency": p.transparency.iter().map(|x| json!({
            "id": x.id, "who": x.who, "what": x.what, "date_key": x.date_key,
            "legacy_date_key": x.legacy_date_key, "status": x.status, "source": x.source,
        })).collect::<Vec<_>>(),
        "roles": p.roles.iter().map(|x| json!({
            "id": x.id.replace('_', "-"), "definition": x.text, "source": x.source,
        })).collect::<Vec<_>>(),
        "obligations": p.obligations.iter().map(|o| json!({
            "id": o.id,
            "roles": o.roles.iter().map(|r| r.replace('_', "-")).collect::<Vec<_>>(),
            "applies_to": o.applies_to, "only_for": o.only_for, "article": o.article,
            "summary": o.summary, "date_keys": o.date_keys, "status": o.status,
            "source": o.source,
        })).collect::<Vec<_>>(),
        "incident_deadlines": {
            "date_key": p.deadlines.date_key, "general": p.deadlines.general,
            "death": p.deadlines.death,
            "critical_infrastructure": p.deadlines.critical_infrastructure,
            "source": p.deadlines.source,
        },
    })
}

/// The lists `which` names, in one versioned JSON document.
pub fn json(t: &Taxonomy, which: &[List]) -> Result<String> {
    let mut doc = serde_json::Map::new();
    doc.insert("version".into(), json!(1));
    for w in which {
        let (key, value) = match w {
            List::Categories => ("categories", json!(t.categories)),
            List::Controls => ("controls", json!(t.groups)),
            List::Sources => ("sources", json!(t.annex_c)),
            List::Nist => ("nist", json!(t.nist)),
            List::EuAiAct => ("eu_ai_act", eu_ai_act_json(&t.eu_ai_act)),
        };
        doc.insert(key.into(), value);
    }
    Ok(crate::text::json_pretty(&doc)? + "\n")
}
