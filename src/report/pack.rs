//! What an audit pack holds, for its README (`render::pack`): the organisation, what the pack
//! was rendered from, and the files of the pack with what each is. The workspace assembles
//! the pack (`workspace::pack`).

/// The pack's table of contents.
#[derive(Clone, Debug)]
pub struct Index {
    pub organisation: String,
    /// The AIMS scope, when airisk.toml states it.
    pub scope: Option<String>,
    /// What the pack was rendered from, on one line (also the manifest's comment).
    pub header: String,
    /// The due list's window (`[review] due_soon`), as airisk.toml writes it.
    pub due_soon: String,
    /// Each risk's history: its id, its file name in the pack (without extension), and
    /// whether the risk was removed from the register (its history ends with the removal).
    pub histories: Vec<(String, String, bool)>,
    /// Why there are no histories, when there are none (no git, or no risk).
    pub no_history: Option<String>,
}
