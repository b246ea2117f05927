//! `score-out-of-range` (error): a likelihood or consequence outside the configured scale
//! (1..n of `[criteria] likelihood`, 1..m of `consequence`): a risk's assessment, a treatment
//! target, an impact's `likelihood` and `severity` (on the consequence scale). A value that
//! is not a whole number is `invalid-value` instead.

use crate::check::Ctx;
use crate::diag::{Code, Diagnostic};
use crate::model::{Rating, Sp};

pub fn check(cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for r in &cx.reg.risks {
        if let Some(a) = &r.assessment {
            rating(cx, a, out);
        }
        if let Some(t) = r.treatment.as_ref().and_then(|t| t.target.as_ref()) {
            rating(cx, t, out);
        }
    }
    for a in &cx.reg.assessments {
        for i in &a.impacts {
            if let Some(l) = &i.likelihood {
                value(cx, "likelihood", l, out);
            }
            if let Some(s) = &i.severity {
                value(cx, "severity", s, out);
            }
        }
    }
}

fn rating(cx: &Ctx, r: &Rating, out: &mut Vec<Diagnostic>) {
    if let Some(l) = &r.likelihood {
        value(cx, "likelihood", l, out);
    }
    if let Some(c) = &r.consequence {
        value(cx, "consequence", c, out);
    }
}

fn value(cx: &Ctx, field: &str, v: &Sp<i64>, out: &mut Vec<Diagnostic>) {
    let c = &cx.reg.config.criteria;
    let (scale, name) = match field {
        "likelihood" => (&c.likelihood, "likelihood"),
        _ => (&c.consequence, "consequence"),
    };
    let n = scale.len() as i64;
    if (1..=n).contains(&v.value) {
        return;
    }
    let ends = match (scale.first(), scale.last()) {
        (Some(a), Some(b)) => format!(" ({a} .. {b})"),
        _ => String::new(),
    };
    out.push(
        Diagnostic::new(
            Code::ScoreOutOfRange,
            v.span,
            format!(
                "{field} {} is outside the {name} scale 1..{n}{ends}",
                v.value
            ),
        )
        .label(format!("expected 1 to {n}"))
        .note("the scales are `[criteria] likelihood` and `consequence` in airisk.toml"),
    );
}
