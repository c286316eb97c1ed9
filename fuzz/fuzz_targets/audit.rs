//! Any bytes through the reader and the replay, as `callflow audit` takes a file: the audit
//! either refuses the input as a whole (a file-level fault of its header) or reports on it,
//! and never panics; every row read ends replayed or rejected; the report renders.

#![no_main]

use std::io;
use std::sync::Arc;

use callflow_audit::render::{self, Format};
use callflow_audit::{audit, Error, LogReader};
use callflow_workflows::Engine;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let reader = match LogReader::new(data, "fuzz.csv") {
        Ok(reader) => reader,
        Err(
            Error::Empty { .. }
            | Error::NotALog { .. }
            | Error::Header { .. }
            | Error::MissingColumn { .. }
            | Error::DuplicateColumn { .. }
            | Error::AmbiguousColumn { .. },
        ) => return,
        Err(e) => panic!("not a fault of the header: {e}"),
    };
    static ENGINE: std::sync::OnceLock<Arc<Engine>> = std::sync::OnceLock::new();
    let engine = Arc::clone(ENGINE.get_or_init(|| Arc::new(Engine::builtin())));
    let report = match audit(reader, engine) {
        Ok(report) => report,
        Err(e) => panic!("an in-memory log cannot fail to read: {e}"),
    };
    let rows = report.rows;
    assert_eq!(rows.read, rows.replayed + rows.rejected);
    assert_eq!(rows.rejected, report.rejected.len() as u64);
    assert!(report.rejected.windows(2).all(|w| w[0].line < w[1].line));
    assert!(report
        .calls
        .windows(2)
        .all(|w| w[0].first_line < w[1].first_line));
    for call in &report.calls {
        assert!(call.score <= 100);
        assert!(call.first_line <= call.last_line);
    }
    for format in [
        Format::Text,
        Format::Json,
        Format::Csv,
        Format::CallsCsv,
        Format::Markdown,
        Format::Html,
    ] {
        if let Err(e) = render::render(&report, format, &mut io::sink()) {
            panic!("rendering to a sink: {e}");
        }
    }
});
