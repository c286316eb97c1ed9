//! The audit pipeline for large logs: one thread reads and parses the CSV, replay workers each
//! own the calls of one shard of call ids, and finished calls come out in the order of their
//! first line as soon as no earlier call can still finish: a streaming report holds only the
//! calls that overlap in time.
//!
//! With one worker the same code runs on the reading thread. Either way the result is the same
//! report, row for row and call for call (tested).

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::io::Read;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::Arc;
use std::thread;

use callflow_workflows::Config;

use crate::error::Error;
use crate::history::Histories;
use crate::reader::{call_id_bytes, Columns, LogReader, RecordBatch};
use crate::replay::Replayer;
use crate::report::{AuditReport, CallReport, Rejected, RowCounts};

/// How to run an audit.
#[derive(Clone, Copy)]
pub struct AuditOptions<'a> {
    /// Replay workers: 1 replays on the reading thread; more run beside it.
    pub threads: usize,
    /// Called now and then with the bytes read so far (for a progress bar).
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
    /// Keep each call's rows and give them to its report (`CallReport::history`), for
    /// transcripts of historical calls. Costs memory for the calls open at once.
    pub history: bool,
    /// Renders each call where it is replayed (on its worker) into `CallReport::rendered`,
    /// and lets go of the findings and inquiries there: for a sink that only writes the
    /// rendering (the JSON stream). Not with `history`.
    pub render: Option<fn(&CallReport) -> Vec<u8>>,
}

impl AuditOptions<'_> {
    /// The renderer to run where each call is replayed: none when rows are kept for histories
    /// (the sink needs the whole report then).
    fn render_where_replayed(&self) -> Option<fn(&CallReport) -> Vec<u8>> {
        self.render.filter(|_| !self.history)
    }
}

impl Default for AuditOptions<'_> {
    fn default() -> Self {
        AuditOptions {
            threads: 1,
            progress: None,
            history: false,
            render: None,
        }
    }
}

/// Receives each call's report, in the order of the calls' first lines.
pub trait CallSink {
    /// One call, audited.
    fn call(&mut self, report: CallReport) -> std::io::Result<()>;
}

impl CallSink for Vec<CallReport> {
    fn call(&mut self, report: CallReport) -> std::io::Result<()> {
        self.push(report);
        Ok(())
    }
}

/// What remains once every call went to the sink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// Rows read, replayed, rejected.
    pub rows: RowCounts,
    /// The rejected rows, by line.
    pub rejected: Vec<Rejected>,
}

/// How many rows a worker gets at a time.
const BATCH: usize = 512;
/// How many rows between two checks of which finished calls can go out.
const EPOCH: u64 = 16_384;

/// Audits a log into a full report (every call in memory): for the text, Markdown, CSV and
/// HTML formats.
pub fn audit_report<R: Read>(
    reader: LogReader<R>,
    config: Arc<Config>,
    options: AuditOptions<'_>,
) -> Result<AuditReport, Error> {
    let source = reader.source_name().to_owned();
    let mut calls: Vec<CallReport> = Vec::new();
    let totals = audit_into(reader, config, options, &mut calls)?;
    Ok(AuditReport::new(
        source,
        totals.rows,
        totals.rejected,
        calls,
    ))
}

/// Audits a log, handing each call to `sink` in first-line order as soon as it can.
pub fn audit_into<R: Read>(
    reader: LogReader<R>,
    config: Arc<Config>,
    options: AuditOptions<'_>,
    sink: &mut dyn CallSink,
) -> Result<Totals, Error> {
    let mut order = InOrder::default();
    let outcome = if options.threads <= 1 {
        run_inline(reader, config, options, &mut order, sink)
    } else {
        run_threaded(reader, config, options, &mut order, sink)
    }?;
    Ok(outcome)
}

/// Finished calls waiting for the calls that start before them (boxed: the map's nodes then
/// shift pointers, not whole reports).
#[derive(Default)]
struct InOrder {
    waiting: BTreeMap<u64, Box<CallReport>>,
}

impl InOrder {
    fn add(&mut self, report: CallReport) {
        self.waiting.insert(report.first_line, Box::new(report));
    }

    /// Hands out every call that starts before `low` (no call still open starts before it).
    fn release(&mut self, low: u64, sink: &mut dyn CallSink) -> std::io::Result<()> {
        while let Some(entry) = self.waiting.first_entry() {
            if *entry.key() >= low {
                break;
            }
            sink.call(*entry.remove())?;
        }
        Ok(())
    }
}

fn write_error(source: &str, e: std::io::Error) -> Error {
    Error::Write {
        path: source.into(),
        source: e,
    }
}

fn run_inline<R: Read>(
    mut reader: LogReader<R>,
    config: Arc<Config>,
    options: AuditOptions<'_>,
    order: &mut InOrder,
    sink: &mut dyn CallSink,
) -> Result<Totals, Error> {
    let source = reader.source_name().to_owned();
    let mut replayer = Replayer::new(config);
    let mut histories = options.history.then(Histories::default);
    let render = options.render_where_replayed();
    let columns = *reader.columns();
    let mut since = 0u64;
    while let Some((raw, record)) = reader.next_record()? {
        if let Some(mut report) = feed(
            &mut replayer,
            histories.as_mut(),
            raw.row_of(record, &columns),
        ) {
            prerender(&mut report, render);
            order.add(report);
        }
        since += 1;
        if since == EPOCH {
            since = 0;
            let low = replayer.earliest_open_line().unwrap_or(raw.line + 1);
            order
                .release(low, sink)
                .map_err(|e| write_error(&source, e))?;
            if let Some(progress) = options.progress {
                progress(raw.end);
            }
        }
    }
    let (rest, rows, mut rejected) = replayer.finish();
    for mut report in rest {
        if let Some(histories) = histories.as_mut() {
            histories.attach(&mut report);
        }
        order.add(report);
    }
    order
        .release(u64::MAX, sink)
        .map_err(|e| write_error(&source, e))?;
    rejected.sort_by_key(|r| r.line);
    Ok(Totals { rows, rejected })
}

enum ToWorker {
    Rows(RecordBatch),
    /// Every row before `next_line` has been sent: report what finished and what is open.
    Epoch {
        next_line: u64,
    },
    End,
}

enum FromWorker {
    Epoch {
        finished: Vec<CallReport>,
        earliest_open: Option<u64>,
        next_line: u64,
    },
    Done {
        finished: Vec<CallReport>,
        rows: RowCounts,
        rejected: Vec<Rejected>,
    },
}

/// The shard (0 to `shards` - 1) of a call id: every row of a call goes to the same worker.
pub fn shard_of(call_id: &[u8], shards: usize) -> usize {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(call_id);
    (hasher.finish() % shards as u64) as usize
}

/// Feeds one row, keeping it in the call's history when asked, and gives a finished call
/// its rows.
fn feed(
    replayer: &mut Replayer,
    histories: Option<&mut Histories>,
    row: Result<crate::reader::Row<'_>, crate::reader::BadRow<'_>>,
) -> Option<CallReport> {
    let Some(histories) = histories else {
        return replayer.feed(row);
    };
    let kept = row.as_ref().ok().copied();
    let replayed = replayer.rows().replayed;
    let mut report = replayer.feed(row);
    if let Some(row) = kept.filter(|_| replayer.rows().replayed > replayed) {
        histories.keep(&row);
    }
    if let Some(report) = report.as_mut() {
        histories.attach(report);
    }
    report
}

/// Renders a finished call where it was replayed, keeping only what the sink's totals need.
fn prerender(report: &mut CallReport, render: Option<fn(&CallReport) -> Vec<u8>>) {
    if let Some(render) = render {
        report.rendered = Some(render(report));
        report.findings = Vec::new();
        report.inquiries = Vec::new();
    }
}

fn worker(
    columns: Columns,
    config: Arc<Config>,
    history: bool,
    render: Option<fn(&CallReport) -> Vec<u8>>,
    inbox: Receiver<ToWorker>,
    outbox: Sender<FromWorker>,
    recycle: Sender<RecordBatch>,
) {
    let mut replayer = Replayer::new(config);
    let mut histories = history.then(Histories::default);
    let mut finished = Vec::new();
    for message in inbox {
        match message {
            ToWorker::Rows(mut batch) => {
                for row in batch.rows(&columns) {
                    if let Some(mut report) = feed(&mut replayer, histories.as_mut(), row) {
                        prerender(&mut report, render);
                        finished.push(report);
                    }
                }
                batch.clear();
                // The batch keeps its buffers for the next rows.
                let _ = recycle.send(batch);
            }
            ToWorker::Epoch { next_line } => {
                let _ = outbox.send(FromWorker::Epoch {
                    finished: std::mem::take(&mut finished),
                    earliest_open: replayer.earliest_open_line(),
                    next_line,
                });
            }
            ToWorker::End => break,
        }
    }
    let (rest, rows, rejected) = replayer.finish();
    for mut report in rest {
        if let Some(histories) = histories.as_mut() {
            histories.attach(&mut report);
        }
        finished.push(report);
    }
    let _ = outbox.send(FromWorker::Done {
        finished,
        rows,
        rejected,
    });
}

/// Collects the workers' epochs; an epoch is complete when every worker reported it.
struct Collector {
    workers: usize,
    pending: BTreeMap<u64, (usize, u64)>,
    done: usize,
    rows: RowCounts,
    rejected: Vec<Rejected>,
}

impl Collector {
    fn take(
        &mut self,
        message: FromWorker,
        order: &mut InOrder,
        sink: &mut dyn CallSink,
    ) -> std::io::Result<()> {
        match message {
            FromWorker::Epoch {
                finished,
                earliest_open,
                next_line,
            } => {
                for report in finished {
                    order.add(report);
                }
                let entry = self.pending.entry(next_line).or_insert((0, next_line));
                entry.0 += 1;
                entry.1 = entry.1.min(earliest_open.unwrap_or(u64::MAX));
                if entry.0 == self.workers {
                    let low = entry.1;
                    self.pending.remove(&next_line);
                    order.release(low, sink)?;
                }
            }
            FromWorker::Done {
                finished,
                rows,
                rejected,
            } => {
                for report in finished {
                    order.add(report);
                }
                self.rows.read += rows.read;
                self.rows.replayed += rows.replayed;
                self.rows.rejected += rows.rejected;
                self.rejected.extend(rejected);
                self.done += 1;
            }
        }
        Ok(())
    }
}

fn run_threaded<R: Read>(
    mut reader: LogReader<R>,
    config: Arc<Config>,
    options: AuditOptions<'_>,
    order: &mut InOrder,
    sink: &mut dyn CallSink,
) -> Result<Totals, Error> {
    let source = reader.source_name().to_owned();
    let shards = options.threads;
    let (outbox, results) = mpsc::channel::<FromWorker>();
    let (recycle, recycled) = mpsc::channel::<RecordBatch>();
    let mut inboxes: Vec<SyncSender<ToWorker>> = Vec::with_capacity(shards);
    let mut handles = Vec::with_capacity(shards);
    for _ in 0..shards {
        let (inbox, receiver) = mpsc::sync_channel::<ToWorker>(32);
        inboxes.push(inbox);
        let columns = *reader.columns();
        let config = Arc::clone(&config);
        let outbox = outbox.clone();
        let recycle = recycle.clone();
        let history = options.history;
        let render = options.render_where_replayed();
        handles.push(thread::spawn(move || {
            worker(columns, config, history, render, receiver, outbox, recycle)
        }));
    }
    drop(outbox);
    drop(recycle);
    let mut collector = Collector {
        workers: shards,
        pending: BTreeMap::new(),
        done: 0,
        rows: RowCounts::default(),
        rejected: Vec::new(),
    };
    let mut batches: Vec<RecordBatch> = (0..shards).map(|_| RecordBatch::default()).collect();
    let columns = *reader.columns();
    let mut since = 0u64;
    let mut failure = None;
    let send = |inbox: &SyncSender<ToWorker>, message| inbox.send(message).is_ok();
    loop {
        let (raw, record) = match reader.next_record() {
            Ok(Some(read)) => read,
            Ok(None) => break,
            Err(e) => {
                failure = Some(e);
                break;
            }
        };
        let line = raw.line;
        let shard = shard_of(call_id_bytes(record, &columns), shards);
        let Some(batch) = batches.get_mut(shard) else {
            continue;
        };
        batch.push(record, raw);
        if batch.len() == BATCH {
            let mut full = recycled.try_recv().unwrap_or_default();
            std::mem::swap(&mut full, batch);
            if let Some(inbox) = inboxes.get(shard) {
                send(inbox, ToWorker::Rows(full));
            }
        }
        since += 1;
        if since == EPOCH {
            since = 0;
            for (shard, batch) in batches.iter_mut().enumerate() {
                if !batch.is_empty() {
                    let mut part = recycled.try_recv().unwrap_or_default();
                    std::mem::swap(&mut part, batch);
                    if let Some(inbox) = inboxes.get(shard) {
                        send(inbox, ToWorker::Rows(part));
                    }
                }
            }
            for inbox in &inboxes {
                send(
                    inbox,
                    ToWorker::Epoch {
                        next_line: line + 1,
                    },
                );
            }
            while let Ok(message) = results.try_recv() {
                collector
                    .take(message, order, sink)
                    .map_err(|e| write_error(&source, e))?;
            }
            if let Some(progress) = options.progress {
                progress(reader.bytes_read());
            }
        }
    }
    for (shard, batch) in batches.iter_mut().enumerate() {
        let part = std::mem::take(batch);
        if let Some(inbox) = inboxes.get(shard) {
            if !part.is_empty() {
                send(inbox, ToWorker::Rows(part));
            }
            send(inbox, ToWorker::End);
        }
    }
    drop(inboxes);
    for message in results.iter() {
        collector
            .take(message, order, sink)
            .map_err(|e| write_error(&source, e))?;
        if collector.done == shards {
            break;
        }
    }
    for handle in handles {
        let _ = handle.join();
    }
    if let Some(e) = failure {
        return Err(e);
    }
    order
        .release(u64::MAX, sink)
        .map_err(|e| write_error(&source, e))?;
    collector.rejected.sort_by_key(|r| r.line);
    Ok(Totals {
        rows: collector.rows,
        rejected: collector.rejected,
    })
}
