//! Adopting airisk in CI on a register with history: a committed document kept in step with
//! `-o FILE --check` (its content, not its document-control block), `check --baseline`, and
//! waivers over git; on throwaway repositories with pinned dates (`git::Git`).

use crate::git::{Git, airisk};

/// A committed SOA.md passes `--check` on the commit that adds it and on a later day, and
/// fails when a decision changes; the same for the other documents with `-o --check`.
#[test]
fn a_committed_soa_passes_check_until_a_decision_changes() {
    let g = Git::init();
    g.base("reg");
    g.date("2026-10-01").commit("Add the register");
    let reg = g.path().join("reg");
    let docs: &[(&str, &[&str])] = &[
        ("SOA.md", &["soa"]),
        ("SOA.html", &["soa", "--format", "html"]),
        ("SOA.json", &["soa", "--format", "json"]),
        ("REGISTER.md", &["register", "--format", "markdown"]),
        ("DUE.md", &["due", "--format", "markdown"]),
        ("MATRIX.md", &["matrix", "--format", "markdown"]),
        ("REPORT.md", &["report"]),
    ];
    for (file, args) in docs {
        let mut a: Vec<&str> = args.to_vec();
        a.extend(["-o", file, "--as-of", "2026-11-01"]);
        let (code, _, err) = airisk(&reg, &a);
        assert_eq!(code, 0, "{a:?}: {err}");
    }
    // Rendered from the first commit; committing them makes another one.
    let first = g.git(&["rev-parse", "HEAD"]);
    let soa = std::fs::read_to_string(reg.join("SOA.md")).expect("SOA.md");
    assert!(soa.contains(&first), "{soa}");
    g.date("2026-11-02").commit("Add the documents");
    let check = |file: &str, args: &[&str], as_of: &str| {
        let mut a: Vec<&str> = args.to_vec();
        a.extend(["-o", file, "--check", "--as-of", as_of]);
        let (code, out, err) = airisk(&reg, &a);
        (code, format!("{out}{err}"))
    };
    for (file, args) in docs {
        // On the commit that adds it: another commit, no DRAFT.
        let (code, out) = check(file, args, "2026-11-01");
        assert_eq!(code, 0, "{file}: {out}");
        assert!(out.contains("is up to date"), "{out}");
    }
    // A later day: the SoA, the register and the matrix say the same; the due list and the
    // report are about the day, so they may differ (and do, here: the SoA review falls due).
    for (file, args) in &docs[..6] {
        if *file == "DUE.md" {
            continue;
        }
        let (code, out) = check(file, args, "2026-11-20");
        assert_eq!(code, 0, "{file} on a later day: {out}");
    }
    // A decision changes: the SoA no longer matches, and says how to regenerate it.
    g.edit(
        "reg/soa.yaml",
        "We supply no AI systems to customers",
        "We supply no AI systems to customers or partners",
    );
    g.date("2026-11-03")
        .commit("Reword the exclusion of A.10.4");
    for (file, args) in &docs[..3] {
        let (code, out) = check(file, args, "2026-11-01");
        assert_eq!(code, 1, "{file}: {out}");
        assert!(out.contains("is out of date with the register"), "{out}");
    }
    let (_, out) = check("SOA.md", &["soa"], "2026-11-01");
    assert!(
        out.contains("regenerate it with `airisk soa -o SOA.md`"),
        "{out}"
    );
    let (_, out) = check("SOA.html", &["soa", "--format", "html"], "2026-11-01");
    assert!(
        out.contains("`airisk soa --format html -o SOA.html`"),
        "{out}"
    );
}
