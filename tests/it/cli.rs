//! CLI cases as readable files: `tests/cmd/<command>/<case>.toml` (with `.in` input folders
//! and `.stdout` / `.stderr` snapshots), plus the console blocks of the README and docs/cli.md.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .env("NO_COLOR", "1")
        .case("tests/cmd/*/*.toml")
        .case("README.md")
        .case("docs/cli.md");
}
