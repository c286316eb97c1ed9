//! The audit pipeline for large logs: one thread reads and parses the CSV and replays the calls
//! of its own share of call ids; replay workers each own the calls of another share, fed in
//! batches. Finished calls come out in the order of their first line as soon as no earlier call
//! can still finish: a streaming report holds only the calls that overlap in time.
//!
//! With one thread there are no workers and no batches. Whatever the number of threads, the
//! result is the same report, row for row and call for call (tested).

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::io::Read;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::Arc;
use std::thread;

use callflow_workflows::Config;

use crate::error::Error;
use crate::history::Histories;
use crate::reader::{call_id_bytes, Columns, LogReader, RawRecord, RecordBatch};
use crate::replay::Replayer;
use crate::report::{AuditReport, CallReport, Rejected, RowCounts};
use crate::scanner::RecordView;

/// How to run an audit.
#[derive(Clone, Copy)]
pub struct AuditOptions<'a> {
    /// Threads in all: the reading thread (which also replays a share of the calls) and
    /// `threads - 1` replay workers (64 at most). 1 replays everything on the reading thread.
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
    run(reader, config, options, &mut order, sink)
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

/// The shard (0 to `shards` - 1) of a call id: every row of a call goes to the same one.
pub fn shard_of(call_id: &[u8], shards: usize) -> usize {
    (call_id_hash(call_id) % shards as u64) as usize
}

fn call_id_hash(call_id: &[u8]) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(call_id);
    hasher.finish()
}

/// Which thread replays a call: the reading thread or one of the workers, by a hash of the
/// call id in one of [`Routes::BUCKETS`] buckets. The reading thread also parses every row, so
/// it takes a smaller share of the calls: with `n` threads, `(1 - (n - 1) × READING) / n`,
/// where `READING` is the cost of reading a row against replaying it.
#[derive(Debug, Clone)]
struct Routes {
    /// By bucket: `None` for the reading thread, else a worker.
    owners: Vec<Option<usize>>,
    workers: usize,
}

impl Routes {
    const BUCKETS: usize = 64;
    /// Reading a row (splitting it, copying it into a worker's batch, writing the report)
    /// against replaying it: measured, not derived. With 0.6 the reading thread replays a
    /// fifth of the calls on two threads (13 buckets of 64). On the 200k-call log of
    /// docs/PERFORMANCE.md, in alternating rounds, 0.6 beat 0.5 by 0.02–0.04 s of median wall
    /// time three times out of three, and 0.4 and 0.7 were slower than both (the reading
    /// thread then has too much to do, or too little while the worker's queue is full). Worth
    /// measuring again when either side's cost per row changes.
    const READING: f64 = 0.6;

    fn new(threads: usize) -> Self {
        // A worker per bucket at most: more would never be given a call.
        let workers = threads.saturating_sub(1).min(Self::BUCKETS);
        if workers == 0 {
            return Routes {
                owners: Vec::new(),
                workers,
            };
        }
        let share = ((1.0 - workers as f64 * Self::READING) / (workers + 1) as f64).max(0.0);
        let here = (share * Self::BUCKETS as f64).round() as usize;
        let owners = (0..Self::BUCKETS)
            .map(|bucket| (bucket >= here).then(|| (bucket - here) % workers))
            .collect();
        Routes { owners, workers }
    }

    fn workers(&self) -> usize {
        self.workers
    }

    /// The worker that replays this call, or `None` for the reading thread.
    fn worker_of(&self, call_id: &[u8]) -> Option<usize> {
        if self.workers == 0 {
            return None;
        }
        let bucket = (call_id_hash(call_id) % Self::BUCKETS as u64) as usize;
        self.owners.get(bucket).copied().flatten()
    }
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

/// The log is over for one thread: its calls still open, judged (given their rows when they
/// are kept), and its row counts and rejected rows.
fn finish(
    replayer: Replayer,
    histories: Option<&mut Histories>,
) -> (Vec<CallReport>, RowCounts, Vec<Rejected>) {
    let (mut rest, rows, rejected) = replayer.finish();
    if let Some(histories) = histories {
        for report in &mut rest {
            histories.attach(report);
        }
    }
    (rest, rows, rejected)
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
                // The next epoch finishes about as many calls: room for them from the start
                // (growing a list of reports copies them over and over).
                let room = finished.len();
                let _ = outbox.send(FromWorker::Epoch {
                    finished: std::mem::replace(&mut finished, Vec::with_capacity(room)),
                    earliest_open: replayer.earliest_open_line(),
                    next_line,
                });
            }
            ToWorker::End => break,
        }
    }
    let (rest, rows, rejected) = finish(replayer, histories.as_mut());
    finished.extend(rest);
    let _ = outbox.send(FromWorker::Done {
        finished,
        rows,
        rejected,
    });
}

/// Collects the epochs of the reading thread and of the workers; an epoch is complete when
/// every participant reported it, and the calls that start before all their open calls go out.
struct Collector {
    participants: usize,
    /// By epoch (its next line): how many reported it, and the earliest open line among them.
    pending: BTreeMap<u64, (usize, u64)>,
    done: usize,
    rows: RowCounts,
    rejected: Vec<Rejected>,
}

impl Collector {
    /// One participant reached the epoch that ends before `next_line`.
    fn epoch(
        &mut self,
        next_line: u64,
        earliest_open: Option<u64>,
        order: &mut InOrder,
        sink: &mut dyn CallSink,
    ) -> std::io::Result<()> {
        let entry = self.pending.entry(next_line).or_insert((0, next_line));
        entry.0 += 1;
        entry.1 = entry.1.min(earliest_open.unwrap_or(u64::MAX));
        if entry.0 == self.participants {
            let low = entry.1;
            self.pending.remove(&next_line);
            order.release(low, sink)?;
        }
        Ok(())
    }

    /// A participant's rows are all replayed.
    fn count(&mut self, rows: RowCounts, rejected: Vec<Rejected>) {
        self.rows.read += rows.read;
        self.rows.replayed += rows.replayed;
        self.rows.rejected += rows.rejected;
        self.rejected.extend(rejected);
    }

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
                self.epoch(next_line, earliest_open, order, sink)?;
            }
            FromWorker::Done {
                finished,
                rows,
                rejected,
            } => {
                for report in finished {
                    order.add(report);
                }
                self.count(rows, rejected);
                self.done += 1;
            }
        }
        Ok(())
    }
}

/// The calls a run replays on its reading thread.
struct Local {
    replayer: Replayer,
    histories: Option<Histories>,
    render: Option<fn(&CallReport) -> Vec<u8>>,
}

impl Local {
    /// Replays one row here; a call it finishes waits in `order`.
    fn replay(
        &mut self,
        raw: &RawRecord,
        record: RecordView<'_>,
        columns: &Columns,
        order: &mut InOrder,
    ) {
        let row = raw.row_of(record, columns);
        if let Some(mut report) = feed(&mut self.replayer, self.histories.as_mut(), row) {
            prerender(&mut report, self.render);
            order.add(report);
        }
    }

    /// The calls still open at the end of the log, judged, and the row counts.
    fn finish(self, order: &mut InOrder, collector: &mut Collector) {
        let Local {
            replayer,
            mut histories,
            ..
        } = self;
        let (rest, rows, rejected) = finish(replayer, histories.as_mut());
        for report in rest {
            order.add(report);
        }
        collector.count(rows, rejected);
    }
}

/// Runs an audit: the reading thread parses every row and replays the calls of its own share
/// of call ids; `threads - 1` workers replay the others, fed in batches.
fn run<R: Read>(
    mut reader: LogReader<R>,
    config: Arc<Config>,
    options: AuditOptions<'_>,
    order: &mut InOrder,
    sink: &mut dyn CallSink,
) -> Result<Totals, Error> {
    let source = reader.source_name().to_owned();
    let columns = *reader.columns();
    let routes = Routes::new(options.threads);
    let workers = routes.workers();
    let render = options.render_where_replayed();
    let (outbox, results) = mpsc::channel::<FromWorker>();
    let (recycle, recycled) = mpsc::channel::<RecordBatch>();
    let mut inboxes: Vec<SyncSender<ToWorker>> = Vec::with_capacity(workers);
    let mut handles = Vec::with_capacity(workers);
    for index in 0..workers {
        let (inbox, receiver) = mpsc::sync_channel::<ToWorker>(32);
        inboxes.push(inbox);
        let config = Arc::clone(&config);
        let outbox = outbox.clone();
        let recycle = recycle.clone();
        let history = options.history;
        let spawned = thread::Builder::new()
            .name(format!("replay-{index}"))
            .spawn(move || worker(columns, config, history, render, receiver, outbox, recycle))
            .map_err(|e| Error::Thread {
                source_name: source.clone(),
                source: e,
            })?;
        handles.push(spawned);
    }
    drop(outbox);
    drop(recycle);
    let mut local = Local {
        replayer: Replayer::new(config),
        histories: options.history.then(Histories::default),
        render,
    };
    let mut collector = Collector {
        participants: workers + 1,
        pending: BTreeMap::new(),
        done: 0,
        rows: RowCounts::default(),
        rejected: Vec::new(),
    };
    let mut batches: Vec<RecordBatch> = (0..workers)
        .map(|_| RecordBatch::with_room(BATCH))
        .collect();
    let mut since = 0u64;
    let mut failure = None;
    let send = |inbox: &SyncSender<ToWorker>, message| inbox.send(message).is_ok();
    // Sends a shard's batch to its worker, leaving in its place one sent back (or a new one).
    let hand_over = |shard: usize, batch: &mut RecordBatch| {
        let next = recycled
            .try_recv()
            .unwrap_or_else(|_| RecordBatch::with_room(BATCH));
        let full = std::mem::replace(batch, next);
        if let Some(inbox) = inboxes.get(shard) {
            send(inbox, ToWorker::Rows(full));
        }
    };
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
        match routes.worker_of(call_id_bytes(record, &columns)) {
            None => local.replay(&raw, record, &columns, order),
            Some(shard) => {
                if let Some(batch) = batches.get_mut(shard) {
                    batch.push(record, raw);
                    if batch.len() == BATCH {
                        hand_over(shard, batch);
                    }
                }
            }
        }
        since += 1;
        if since == EPOCH {
            since = 0;
            let next_line = line + 1;
            for (shard, batch) in batches.iter_mut().enumerate() {
                if !batch.is_empty() {
                    hand_over(shard, batch);
                }
            }
            for inbox in &inboxes {
                send(inbox, ToWorker::Epoch { next_line });
            }
            collector
                .epoch(next_line, local.replayer.earliest_open_line(), order, sink)
                .map_err(|e| write_error(&source, e))?;
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
    local.finish(order, &mut collector);
    for message in results.iter() {
        collector
            .take(message, order, sink)
            .map_err(|e| write_error(&source, e))?;
        if collector.done == workers {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn shares(threads: usize, calls: usize) -> Vec<usize> {
        let routes = Routes::new(threads);
        let mut counts = vec![0; routes.workers() + 1];
        for n in 0..calls {
            let id = format!("C-{n:06}");
            let index = routes
                .worker_of(id.as_bytes())
                .map_or(0, |worker| worker + 1);
            counts[index] += 1;
        }
        counts
    }

    #[test]
    fn one_thread_replays_every_call_where_it_reads() {
        let routes = Routes::new(1);
        assert_eq!(routes.workers(), 0);
        assert_eq!(shares(1, 1_000), vec![1_000]);
    }

    #[test]
    fn with_two_threads_the_reading_thread_takes_about_a_fifth_of_the_calls() {
        let counts = shares(2, 20_000);
        assert_eq!(counts.len(), 2);
        let here = counts[0] as f64 / 20_000.0;
        assert!((0.15..0.25).contains(&here), "{counts:?}");
    }

    #[test]
    fn with_more_threads_the_workers_share_the_calls_evenly_and_the_reader_only_reads() {
        let counts = shares(4, 30_000);
        assert_eq!(counts.len(), 4);
        assert_eq!(counts[0], 0, "{counts:?}");
        for &worker in &counts[1..] {
            assert!((8_000..12_000).contains(&worker), "{counts:?}");
        }
    }

    #[test]
    fn no_more_workers_than_buckets_are_started() {
        let routes = Routes::new(1_000);
        assert_eq!(routes.workers(), Routes::BUCKETS);
        let counts = shares(1_000, 64_000);
        assert!(counts[1..].iter().all(|&worker| worker > 0), "{counts:?}");
    }

    #[test]
    fn a_call_always_goes_to_the_same_thread() {
        let routes = Routes::new(3);
        let first = routes.worker_of(b"C-000042");
        assert!((0..50).all(|_| routes.worker_of(b"C-000042") == first));
    }
}
