//! The one error type of the generator crate.

/// A problem while generating trainers' material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A printable page could not be rendered from its template.
    #[error("cannot render the page {page}")]
    Render {
        /// The page's file name.
        page: String,
        /// The template engine's error.
        source: askama::Error,
    },
}
