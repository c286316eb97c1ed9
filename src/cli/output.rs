//! Writing outputs: atomically to a file (a temporary file beside it, renamed on success), in
//! place to a device or a pipe, or to standard output; and the progress bar.

use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar on standard error for long runs on a terminal; hidden otherwise.
pub(crate) fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
    const WORTH_SHOWING: u64 = 8 << 20;
    if quiet || total < WORTH_SHOWING || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} auditing [{wide_bar}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Bytes written to `--out` (or standard output) at a time: a large report goes out in a few
/// hundred system calls rather than tens of thousands.
const OUTPUT_BUFFER: usize = 256 * 1024;

/// Writes through a buffer of [`OUTPUT_BUFFER`] bytes, then flushes it.
fn write_buffered(
    to: impl Write,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut buffered = io::BufWriter::with_capacity(OUTPUT_BUFFER, to);
    write(&mut buffered)?;
    buffered.flush()
}

/// Writes to `--out` atomically (a temporary file beside it, renamed on success), or to
/// standard output.
///
/// Only a regular file is replaced that way. A device, a FIFO or a socket (`--out /dev/null`,
/// `--out /dev/stdout`, a named pipe) is written to in place: renaming a file over it would
/// replace the device itself (as root, `/dev/null` would become a plain file). A symbolic link
/// keeps pointing where it did: the file it points to is the one replaced.
pub(crate) fn write_output(
    out: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    write_output_then(out, write, || Ok(()))
}

/// [`write_output`], with what must happen with the report or not at all (the history's
/// commit): to a file, `commit` runs once the report is written and before it is renamed into
/// place, so that a failed commit leaves no report file; to standard output or a device, once
/// the report is written (it cannot be taken back).
pub(crate) fn write_output_then(
    out: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    commit: impl FnOnce() -> Result<()>,
) -> Result<()> {
    match out {
        None => {
            write_buffered(io::stdout().lock(), write)?;
            commit()?;
        }
        Some(path) => {
            let cannot = || format!("{}: cannot write", path.display());
            if let Ok(existing) = fs::metadata(path) {
                if existing.is_dir() {
                    anyhow::bail!("{}: is a folder, not a file to write", path.display());
                }
                if !existing.is_file() {
                    let file = fs::OpenOptions::new()
                        .write(true)
                        .open(path)
                        .with_context(cannot)?;
                    write_buffered(file, write).with_context(cannot)?;
                    return commit();
                }
            }
            let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            let resolved = if is_link {
                fs::canonicalize(path).with_context(cannot)?
            } else {
                path.to_path_buf()
            };
            let path = resolved.as_path();
            let cannot = || format!("{}: cannot write", path.display());
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            if !dir.is_dir() {
                anyhow::bail!(
                    "{}: cannot write: the folder {} does not exist",
                    path.display(),
                    dir.display()
                );
            }
            // The temporary file's name is ours, not the user's: errors about it are told
            // without it (tempfile's messages name it).
            let mut file = tempfile::NamedTempFile::new_in(dir)
                .map_err(without_path)
                .with_context(cannot)?;
            write_buffered(file.as_file_mut(), write).with_context(cannot)?;
            keep_permissions(file.path(), path);
            commit()?;
            file.persist(path)
                .map_err(|e| without_path(e.error))
                .with_context(cannot)?;
        }
    }
    Ok(())
}

/// The same error without the path tempfile adds to its message: the system's own words
/// (`Permission denied (os error 13)`), or the kind's.
fn without_path(error: io::Error) -> io::Error {
    match error.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code),
        None => io::Error::from(error.kind()),
    }
}

/// A temporary file is created readable by its owner only; the output gets the permissions of
/// the file it replaces, or those of a newly created file.
fn keep_permissions(temporary: &Path, target: &Path) {
    let permissions = match fs::metadata(target) {
        Ok(existing) => existing.permissions(),
        Err(_) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::Permissions::from_mode(0o644)
            }
            #[cfg(not(unix))]
            {
                return;
            }
        }
    };
    let _ = fs::set_permissions(temporary, permissions);
}
