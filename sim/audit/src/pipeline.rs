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
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::Arc;
use std::thread;

use callflow_workflows::{Engine, Rules};

use crate::error::Error;
use crate::history::Histories;
use crate::identity::LogIdentity;
use crate::memory::MemoryLimit;
use crate::reader::{call_id_bytes, Columns, LogReader, RawRecord, RecordBatch};
use crate::replay::{Replayer, StillOpen};
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
    pub render: Option<RenderCall>,
    /// Also replays every call under this engine (the policy compared against, `audit
    /// --compare`): each report then carries both judgements (`CallReport::compared`), in
    /// the same single pass over the log.
    pub compare: Option<&'a Arc<Engine>>,
    /// What the run may take in memory: less the run's fixed cost (20 MiB), what the open
    /// calls may take, shared evenly by the threads; past it, the calls idle longest wait on
    /// disk ([`Replayer::with_memory_limit`]). `None`: no limit.
    /// The default fits the machine ([`MemoryLimit::for_this_machine`]). Rows kept for
    /// `history` are not counted.
    pub memory_limit: Option<MemoryLimit>,
}

/// Renders one finished call under the rules it ran under (the JSON stream's line).
pub type RenderCall = fn(&CallReport, &Rules) -> Vec<u8>;

impl AuditOptions<'_> {
    /// A replayer for one of the run's threads: comparing when asked, with its share of the
    /// memory limit.
    fn replayer(&self, engine: Arc<Engine>, compare: Option<&Arc<Engine>>) -> Replayer {
        let mut replayer = Replayer::new(engine);
        if let Some(other) = compare {
            replayer = replayer.comparing(Arc::clone(other));
        }
        if let Some(limit) = self.memory_limit {
            let calls = limit.bytes().saturating_sub(RUN_FIXED_BYTES);
            let share = calls / self.threads.max(1) as u64;
            replayer = replayer.with_memory_limit(MemoryLimit::from_bytes(share));
        }
        replayer
    }

    /// The renderer to run where each call is replayed: none when rows are kept for histories
    /// (the sink needs the whole report then).
    fn render_where_replayed(&self) -> Option<RenderCall> {
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
            compare: None,
            memory_limit: Some(MemoryLimit::for_this_machine()),
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
    /// The log read: its name and the hash of all its bytes.
    pub log: LogIdentity,
    /// Open calls moved to disk under the memory limit (a call moved twice counts twice; 0
    /// when the limit was never reached).
    pub calls_spilled: u64,
}

impl Totals {
    /// What to tell the user (on standard error: the report is the same whatever the limit)
    /// when open calls waited on disk.
    pub fn spill_note(&self) -> Option<String> {
        (self.calls_spilled > 0).then(|| {
            format!(
                "the calls open at once outgrew the memory limit: open calls were moved to disk {} times and read back (the report is the same; --memory-limit raises the limit)",
                self.calls_spilled
            )
        })
    }
}

/// What a run takes whatever its log (the program, the reader's buffer, the batches in
/// flight): the peak of auditing the bundled sample, 18.7 MB, rounded up. The memory limit
/// less this is what the open calls may take.
const RUN_FIXED_BYTES: u64 = 20 << 20;

/// How many rows a worker gets at a time.
const BATCH: usize = 512;
/// How many rows between two checks of which finished calls can go out.
const EPOCH: u64 = 16_384;

/// Audits a log into a full report (every call in memory): for the text, Markdown, CSV and
/// HTML formats.
pub fn audit_report<R: Read>(
    reader: LogReader<R>,
    engine: Arc<Engine>,
    options: AuditOptions<'_>,
) -> Result<AuditReport, Error> {
    let source = reader.source_name().to_owned();
    let notes = reader.notes().to_vec();
    let mut calls: Vec<CallReport> = Vec::new();
    let totals = audit_into(reader, Arc::clone(&engine), options, &mut calls)?;
    Ok(
        AuditReport::new(source, totals.rows, totals.rejected, calls)
            .with_log(totals.log)
            .with_engine(engine)
            .with_notes(notes),
    )
}

/// Audits a log, handing each call to `sink` in first-line order as soon as it can.
pub fn audit_into<R: Read>(
    reader: LogReader<R>,
    engine: Arc<Engine>,
    options: AuditOptions<'_>,
    sink: &mut dyn CallSink,
) -> Result<Totals, Error> {
    let mut order = InOrder::default();
    run(reader, engine, options, &mut order, sink)
}

/// Finished calls waiting for the calls that start before them (boxed: the map's nodes then
/// shift pointers, not whole reports).
#[derive(Default)]
struct InOrder {
    waiting: BTreeMap<u64, Box<CallReport>>,
    /// Calls handed to the sink so far.
    released: u64,
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
            self.released += 1;
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
    /// The log is over: report what finished and the books, then send the calls still open,
    /// one at a time in first-line order, on `last`.
    End {
        last: SyncSender<Result<CallReport, Error>>,
    },
}

/// How many of a worker's last calls (those still open at the end of the log) may wait for
/// the reading thread at once.
const LAST_CALLS_IN_FLIGHT: usize = 16;

enum FromWorker {
    Epoch {
        finished: Vec<CallReport>,
        earliest_open: Option<u64>,
        next_line: u64,
    },
    /// The worker could not close its books (its spill file failed): the run fails with this.
    Failed { error: Error },
    /// Every row is replayed: the calls that finished since the last epoch, and the books.
    /// The calls still open follow on the worker's `last` channel.
    Done {
        /// Which worker.
        worker: usize,
        finished: Vec<CallReport>,
        books: Books,
    },
}

/// What one thread's replayer counted, once its rows are all replayed.
struct Books {
    rows: RowCounts,
    rejected: Vec<Rejected>,
    /// Calls it started (each gives one report).
    started: u64,
    /// Calls it moved to disk under the memory limit.
    spilled: u64,
}

/// A replay worker's ends of the channels.
struct WorkerEnds {
    inbox: Receiver<ToWorker>,
    outbox: Sender<FromWorker>,
    recycle: Sender<RecordBatch>,
}

/// A replay worker's thread name.
fn worker_name(index: usize) -> String {
    format!("replay-{index}")
}

/// The error of a thread that panicked, with the panic's message.
fn panicked(source: &str, thread: String, payload: &(dyn std::any::Any + Send)) -> Error {
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message");
    Error::ThreadStopped {
        source_name: source.to_owned(),
        thread,
        cause: format!("panicked: {message}"),
    }
}

/// The error of a worker whose channel closed before the end of the run (when the worker
/// panicked, the panic's own error replaces this one).
fn channel_closed(source: &str, worker: usize) -> Error {
    Error::ThreadStopped {
        source_name: source.to_owned(),
        thread: format!("replay thread {}", worker_name(worker)),
        cause: "its channel closed before the end of the log".to_owned(),
    }
}

/// The shard (0 to `shards` - 1) of a call id, in even shares by the hash [`Routes`] uses:
/// every row of a call goes to the same one. The pipeline routes by [`Routes`]; this splits
/// calls evenly for measuring the replay stage alone (`benches/benchmarks/stage.rs`).
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
pub struct Routes {
    /// By bucket: `None` for the reading thread, else a worker.
    owners: Vec<Option<usize>>,
    workers: usize,
}

impl Routes {
    /// How many buckets the call ids' hashes fall into (and so the most workers a run starts).
    pub const BUCKETS: usize = 64;
    /// Reading a row (splitting it, copying it into a worker's batch, writing the report)
    /// against replaying it: measured, not derived. With 0.6 the reading thread replays a
    /// fifth of the calls on two threads (13 buckets of 64). On the 200k-call log of
    /// docs/PERFORMANCE.md, in alternating rounds, 0.6 beat 0.5 by 0.02–0.04 s of median wall
    /// time three times out of three, and 0.4 and 0.7 were slower than both (the reading
    /// thread then has too much to do, or too little while the worker's queue is full). Worth
    /// measuring again when either side's cost per row changes.
    const READING: f64 = 0.6;

    /// The routes of a run of `threads` threads in all (the reading thread included).
    pub fn new(threads: usize) -> Self {
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

    /// How many replay workers the routes feed (0 with one thread).
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// The worker that replays this call, or `None` for the reading thread.
    pub fn worker_of(&self, call_id: &[u8]) -> Option<usize> {
        if self.workers == 0 {
            return None;
        }
        let bucket = (call_id_hash(call_id) % Self::BUCKETS as u64) as usize;
        self.owners.get(bucket).copied().flatten()
    }

    /// The worker that replays a record's call, or `None` for the reading thread: the route
    /// the pipeline takes for each record it reads, by the call id field as read (unquoted).
    pub fn thread_of(&self, record: RecordView<'_>, columns: &Columns) -> Option<usize> {
        self.worker_of(call_id_bytes(record, columns))
    }
}

/// Feeds one row, keeping it in the call's history when asked, and gives a finished call
/// its rows.
fn feed(
    replayer: &mut Replayer,
    histories: Option<&mut Histories>,
    row: Result<crate::reader::Row<'_>, crate::reader::BadRow<'_>>,
) -> Option<CallReport> {
    #[cfg(feature = "fault-injection")]
    if let Ok(fault) = row.as_ref().map(|row| crate::fault::at(row.call_id)) {
        match fault {
            Some(crate::fault::Fault::LoseRow) => return None,
            Some(crate::fault::Fault::LoseCall) => {
                let _lost = feed_row(replayer, histories, row);
                return None;
            }
            None => {}
        }
    }
    feed_row(replayer, histories, row)
}

/// [`feed`] without the injected faults.
fn feed_row(
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

/// The log is over for one thread: its books, and its calls still open, to be judged one at
/// a time ([`LastCalls`]).
fn close(replayer: Replayer) -> Result<(StillOpen, Books), Error> {
    let started = replayer.calls_started();
    let spilled = replayer.calls_spilled();
    let (still_open, rows, rejected) = replayer.close()?;
    let books = Books {
        rows,
        rejected,
        started,
        spilled,
    };
    Ok((still_open, books))
}

/// A thread's calls still open at the end of the log, judged one at a time in first-line
/// order, given their rows when they are kept and rendered when asked.
struct LastCalls {
    still_open: StillOpen,
    histories: Option<Histories>,
    render: Option<RenderCall>,
    engine: Arc<Engine>,
}

impl Iterator for LastCalls {
    type Item = Result<CallReport, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let report = self.still_open.next()?;
        Some(report.map(|mut report| {
            if let Some(histories) = self.histories.as_mut() {
                histories.attach(&mut report);
            }
            prerender(&mut report, self.render, &self.engine);
            report
        }))
    }
}

/// Renders a finished call where it was replayed, under the rules it was judged by, keeping
/// only what the sink's totals need.
fn prerender(report: &mut CallReport, render: Option<RenderCall>, engine: &Engine) {
    if let Some(render) = render {
        report.rendered = Some(render(report, engine.rules_on(report.call_date).1));
        report.findings = Vec::new();
        report.inquiries = Vec::new();
    }
}

/// Replay worker `index`: replays the rows it is sent until the end, then reports its last
/// calls and its books. Its sends fail only once the reading thread has stopped, which the
/// run reports itself.
fn worker(index: usize, setup: WorkerSetup, ends: WorkerEnds) {
    let WorkerEnds {
        inbox,
        outbox,
        recycle,
    } = ends;
    let WorkerSetup {
        columns,
        engine,
        compare,
        history,
        render,
        options_threads,
        memory_limit,
    } = setup;
    let options = AuditOptions {
        threads: options_threads,
        memory_limit,
        ..AuditOptions::default()
    };
    let mut replayer = options.replayer(Arc::clone(&engine), compare.as_ref());
    let mut histories = history.then(Histories::default);
    let mut finished = Vec::new();
    let mut last = None;
    for message in inbox {
        match message {
            ToWorker::Rows(mut batch) => {
                for row in batch.rows(&columns) {
                    if let Some(mut report) = feed(&mut replayer, histories.as_mut(), row) {
                        prerender(&mut report, render, replayer.engine());
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
            ToWorker::End { last: sender } => {
                last = Some(sender);
                break;
            }
        }
    }
    let Some(last) = last else { return };
    let (still_open, books) = match close(replayer) {
        Ok(closed) => closed,
        Err(error) => {
            let _ = outbox.send(FromWorker::Failed { error });
            return;
        }
    };
    if outbox
        .send(FromWorker::Done {
            worker: index,
            finished,
            books,
        })
        .is_err()
    {
        return;
    }
    let calls = LastCalls {
        still_open,
        histories,
        render,
        engine,
    };
    for call in calls {
        let failed = call.is_err();
        if last.send(call).is_err() || failed {
            return;
        }
    }
}

/// What a replay worker is started with.
struct WorkerSetup {
    columns: Columns,
    engine: Arc<Engine>,
    compare: Option<Arc<Engine>>,
    history: bool,
    render: Option<RenderCall>,
    /// The run's threads and memory limit: the worker's replayer takes its share.
    options_threads: usize,
    memory_limit: Option<MemoryLimit>,
}

/// Collects the epochs of the reading thread and of the workers; an epoch is complete when
/// every participant reported it, and the calls that start before all their open calls go out.
struct Collector {
    participants: usize,
    /// By epoch (its next line): how many reported it, and the earliest open line among them.
    pending: BTreeMap<u64, (usize, u64)>,
    /// By worker: whether it reported its last calls and its books.
    done: Vec<bool>,
    rows: RowCounts,
    rejected: Vec<Rejected>,
    /// Calls started, summed over the threads that reported their books.
    started: u64,
    /// Calls moved to disk, summed likewise.
    spilled: u64,
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
    fn count(&mut self, books: Books) {
        self.rows.read += books.rows.read;
        self.rows.replayed += books.rows.replayed;
        self.rows.rejected += books.rows.rejected;
        self.rejected.extend(books.rejected);
        self.started += books.started;
        self.spilled += books.spilled;
    }

    /// The first worker that has not reported its books, if any.
    fn not_done(&self) -> Option<usize> {
        self.done.iter().position(|done| !done)
    }

    /// Takes one worker's message; fails with the worker's own failure, or when the sink
    /// cannot take a call.
    fn take(
        &mut self,
        source: &str,
        message: FromWorker,
        order: &mut InOrder,
        sink: &mut dyn CallSink,
    ) -> Result<(), Error> {
        let written = |result: std::io::Result<()>| result.map_err(|e| write_error(source, e));
        match message {
            FromWorker::Epoch {
                finished,
                earliest_open,
                next_line,
            } => {
                for report in finished {
                    order.add(report);
                }
                written(self.epoch(next_line, earliest_open, order, sink))?;
            }
            FromWorker::Failed { error } => return Err(error),
            FromWorker::Done {
                worker,
                finished,
                books,
            } => {
                for report in finished {
                    order.add(report);
                }
                self.count(books);
                if let Some(done) = self.done.get_mut(worker) {
                    *done = true;
                }
            }
        }
        Ok(())
    }
}

/// The calls a run replays on its reading thread.
struct Local {
    replayer: Replayer,
    histories: Option<Histories>,
    render: Option<RenderCall>,
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
            prerender(&mut report, self.render, self.replayer.engine());
            order.add(report);
        }
    }

    /// The log is over here: the row counts go to the collector, and the calls still open
    /// come back one at a time.
    fn close(self, collector: &mut Collector) -> Result<LastCalls, Error> {
        let Local {
            replayer,
            histories,
            render,
        } = self;
        let engine = Arc::clone(replayer.engine());
        let (still_open, books) = close(replayer)?;
        collector.count(books);
        Ok(LastCalls {
            still_open,
            histories,
            render,
            engine,
        })
    }
}

/// The reading thread's ends of the channels to and from the workers.
struct Channels {
    inboxes: Vec<SyncSender<ToWorker>>,
    results: Receiver<FromWorker>,
    recycled: Receiver<RecordBatch>,
}

/// Runs an audit: the reading thread parses every row and replays the calls of its own share
/// of call ids; `threads - 1` workers replay the others, fed in batches.
///
/// A run that cannot account for every call fails rather than report without it: a thread
/// that panics ([`Error::ThreadStopped`], the reading thread's own replay and sink included),
/// or books that do not balance ([`Error::Unbalanced`]).
fn run<R: Read>(
    reader: LogReader<R>,
    engine: Arc<Engine>,
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
        let setup = WorkerSetup {
            columns,
            engine: Arc::clone(&engine),
            compare: options.compare.cloned(),
            history: options.history,
            render,
            options_threads: options.threads,
            memory_limit: options.memory_limit,
        };
        let ends = WorkerEnds {
            inbox: receiver,
            outbox: outbox.clone(),
            recycle: recycle.clone(),
        };
        let spawned = thread::Builder::new()
            .name(worker_name(index))
            .spawn(move || worker(index, setup, ends))
            .map_err(|e| Error::Thread {
                source_name: source.clone(),
                source: e,
            })?;
        handles.push(spawned);
    }
    drop(outbox);
    drop(recycle);
    let channels = Channels {
        inboxes,
        results,
        recycled,
    };
    // The reading thread's part, its own replay and the sink included. It owns its ends of
    // the channels: however it ends, even unwinding, they close, and each worker finishes.
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        read(reader, engine, options, &routes, channels, order, sink)
    }));
    let mut stopped = None;
    for (index, handle) in handles.into_iter().enumerate() {
        if let Err(payload) = handle.join() {
            let thread = format!("replay thread {}", worker_name(index));
            stopped.get_or_insert_with(|| panicked(&source, thread, payload.as_ref()));
        }
    }
    match (outcome, stopped) {
        (Err(payload), _) => Err(panicked(
            &source,
            "the reading thread".to_owned(),
            payload.as_ref(),
        )),
        // A worker's panic is the cause of whatever the reading thread saw go wrong.
        (Ok(_), Some(stopped)) => Err(stopped),
        (Ok(result), None) => result,
    }
}

/// The reading thread: reads every row, replays its own share of the calls, sends the others
/// to their workers, hands finished calls to the sink, and checks the books at the end.
fn read<R: Read>(
    mut reader: LogReader<R>,
    engine: Arc<Engine>,
    options: AuditOptions<'_>,
    routes: &Routes,
    channels: Channels,
    order: &mut InOrder,
    sink: &mut dyn CallSink,
) -> Result<Totals, Error> {
    let source = reader.source_name().to_owned();
    let columns = *reader.columns();
    let workers = routes.workers();
    let Channels {
        inboxes,
        results,
        recycled,
    } = channels;
    let mut local = Local {
        replayer: options.replayer(engine, options.compare),
        histories: options.history.then(Histories::default),
        render: options.render_where_replayed(),
    };
    let mut collector = Collector {
        participants: workers + 1,
        pending: BTreeMap::new(),
        done: vec![false; workers],
        rows: RowCounts::default(),
        rejected: Vec::new(),
        started: 0,
        spilled: 0,
    };
    let mut batches: Vec<RecordBatch> = (0..workers)
        .map(|_| RecordBatch::with_room(BATCH))
        .collect();
    let mut since = 0u64;
    // Whether a message reached its worker: not when the worker stopped (its end is closed).
    let send = |shard: usize, message| {
        inboxes
            .get(shard)
            .is_some_and(|inbox| inbox.send(message).is_ok())
    };
    // Sends a shard's batch to its worker, leaving in its place one sent back (or a new one).
    let hand_over = |shard: usize, batch: &mut RecordBatch| {
        let next = recycled
            .try_recv()
            .unwrap_or_else(|_| RecordBatch::with_room(BATCH));
        send(shard, ToWorker::Rows(std::mem::replace(batch, next)))
    };
    loop {
        let (raw, record) = match reader.next_record() {
            Ok(Some(read)) => read,
            Ok(None) => break,
            Err(e) => return Err(e),
        };
        let line = raw.line;
        match routes.thread_of(record, &columns) {
            None => local.replay(&raw, record, &columns, order),
            Some(shard) => {
                if let Some(batch) = batches.get_mut(shard) {
                    batch.push(record, raw);
                    if batch.len() == BATCH && !hand_over(shard, batch) {
                        return Err(channel_closed(&source, shard));
                    }
                }
            }
        }
        since += 1;
        if since == EPOCH {
            since = 0;
            let next_line = line + 1;
            for (shard, batch) in batches.iter_mut().enumerate() {
                if !batch.is_empty() && !hand_over(shard, batch) {
                    return Err(channel_closed(&source, shard));
                }
            }
            for shard in 0..workers {
                if !send(shard, ToWorker::Epoch { next_line }) {
                    return Err(channel_closed(&source, shard));
                }
            }
            collector
                .epoch(next_line, local.replayer.earliest_open_line(), order, sink)
                .map_err(|e| write_error(&source, e))?;
            while let Ok(message) = results.try_recv() {
                collector.take(&source, message, order, sink)?;
            }
            if let Some(progress) = options.progress {
                progress(reader.bytes_read());
            }
        }
    }
    let mut lasts = Vec::with_capacity(workers);
    for (shard, batch) in batches.iter_mut().enumerate() {
        let part = std::mem::take(batch);
        let (last, from_worker) = mpsc::sync_channel(LAST_CALLS_IN_FLIGHT);
        lasts.push(from_worker);
        let sent = part.is_empty() || send(shard, ToWorker::Rows(part));
        if !sent || !send(shard, ToWorker::End { last }) {
            return Err(channel_closed(&source, shard));
        }
    }
    drop(inboxes);
    let here = local.close(&mut collector)?;
    // Until every worker reported its books, or the last one's end of the channel closed.
    for message in results.iter() {
        collector.take(&source, message, order, sink)?;
        if collector.not_done().is_none() {
            break;
        }
    }
    if let Some(worker) = collector.not_done() {
        return Err(channel_closed(&source, worker));
    }
    // The calls still open, from every thread, merged in first-line order with those that
    // finished and wait for them.
    let mut threads: Vec<Box<dyn Iterator<Item = Result<CallReport, Error>>>> =
        Vec::with_capacity(workers + 1);
    threads.push(Box::new(here));
    for from_worker in lasts {
        // Until the worker's end closes: it sent all its calls, or it stopped, which the
        // books or the join report.
        threads.push(Box::new(std::iter::from_fn(move || {
            from_worker.recv().ok()
        })));
    }
    merge_last_calls(threads, order, sink).map_err(|e| match e {
        Merge::Call(e) => e,
        Merge::Write(e) => write_error(&source, e),
    })?;
    check_books(&source, reader.rows_read(), &collector, order.released)?;
    collector.rejected.sort_by_key(|r| r.line);
    Ok(Totals {
        rows: collector.rows,
        rejected: collector.rejected,
        log: reader.identity(),
        calls_spilled: collector.spilled,
    })
}

/// What stopped the merge of the last calls.
enum Merge {
    /// A call could not be judged (read back from disk).
    Call(Error),
    /// The sink could not take a call.
    Write(std::io::Error),
}

/// Hands out the calls still open at the end of the log, one at a time from each thread (each
/// in first-line order), merged with the finished calls waiting in `order`: a call goes out
/// as soon as no thread can still give an earlier one. Holds one call a thread at a time.
fn merge_last_calls(
    mut threads: Vec<Box<dyn Iterator<Item = Result<CallReport, Error>> + '_>>,
    order: &mut InOrder,
    sink: &mut dyn CallSink,
) -> Result<(), Merge> {
    let mut heads: Vec<Option<CallReport>> = Vec::with_capacity(threads.len());
    for thread in &mut threads {
        heads.push(thread.next().transpose().map_err(Merge::Call)?);
    }
    loop {
        let next = heads
            .iter()
            .enumerate()
            .filter_map(|(i, head)| head.as_ref().map(|call| (call.first_line, i)))
            .min();
        let Some((_, i)) = next else { break };
        let (Some(head), Some(thread)) = (heads.get_mut(i), threads.get_mut(i)) else {
            break;
        };
        if let Some(call) = head.take() {
            order.add(call);
        }
        *head = thread.next().transpose().map_err(Merge::Call)?;
        let low = heads
            .iter()
            .filter_map(|head| head.as_ref().map(|call| call.first_line))
            .min()
            .unwrap_or(u64::MAX);
        order.release(low, sink).map_err(Merge::Write)?;
    }
    order.release(u64::MAX, sink).map_err(Merge::Write)
}

/// The run's own books, before it reports success: every row read was replayed or rejected
/// (`read = replayed + rejected`, the threads' counts against the reader's), and every call
/// started went to the sink once.
fn check_books(source: &str, read: u64, collector: &Collector, reported: u64) -> Result<(), Error> {
    let rows = collector.rows;
    let problem = if rows.read != read || rows.replayed + rows.rejected != read {
        format!(
            "{read} rows read, but {} replayed and {} rejected",
            rows.replayed, rows.rejected
        )
    } else if collector.started != reported {
        format!(
            "{} calls started, but {reported} reported",
            collector.started
        )
    } else {
        return Ok(());
    };
    Err(Error::Unbalanced {
        source_name: source.to_owned(),
        problem,
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
}
