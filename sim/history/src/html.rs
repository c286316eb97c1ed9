//! The trend as a self-contained HTML page.

use std::io::{self, Write};

use crate::trend::Trend;

/// Writes the page.
pub fn write(trend: &Trend, out: &mut dyn Write) -> io::Result<()> {
    crate::render::text(trend, out)
}
