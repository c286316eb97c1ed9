//! The audit pipeline for large logs. With one thread, it reads, splits and replays every row
//! in turn. With more, the reading thread reads the log in blocks cut at line ends and hashes
//! them, workers split the blocks into records at once ([`crate::blocks`]), and each worker
//! replays the calls of its own share of call ids, the rows of each call in the file's order.
//! Finished calls come out in the order of their first line as soon as no earlier call can
//! still finish: a streaming report holds only the calls that overlap in time.
//!
//! Whatever the number of threads and the size of the blocks, the result is the same report,
//! row for row and call for call (tested).

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::io::Read;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread;

use callflow_workflows::{Engine, Rules};

use crate::blocks::{parse_block, Block, Parsed, Sequenced, Sequencer, BLOCK_BYTES};
use crate::error::Error;
use crate::history::Histories;
use crate::identity::LogIdentity;
use crate::memory::MemoryLimit;
use crate::reader::{call_id_bytes, Columns, LogReader, RawRecord, RecordBatch};
use crate::replay::{Replayer, StillOpen};
use crate::report::{AuditReport, CallReport, Rejected, RowCounts};
use crate::scanner::{RecordView, Scanner};
use crate::waiting::Waiting;

/// How to run an audit.
#[derive(Clone, Copy)]
pub struct AuditOptions<'a> {
    /// 1: one thread reads, splits and replays everything. More: that many workers (64 at
    /// most) split the log's blocks and replay their share of the calls, while the reading
    /// thread reads the blocks, hashes them and hands finished calls to the sink.
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
    /// What the run may take in memory. Less the run's fixed cost (20 MiB, 10 MiB more a
    /// worker, and up to 16 MiB for the finished calls waiting to go out, past which they
    /// wait on disk), what the open calls may take, shared evenly by the threads; past it,
    /// the calls idle longest wait on disk ([`Replayer::with_memory_limit`]). `None`: no
    /// limit. The default fits the machine ([`MemoryLimit::for_this_machine`]). Rows kept
    /// for `history` are not counted.
    pub memory_limit: Option<MemoryLimit>,
    /// With more than one thread, the log is read in blocks of about this many bytes, cut at
    /// line ends, which the workers split into records at once ([`crate::blocks`]). The
    /// report is the same whatever the size; tests make it tiny.
    pub block_size: usize,
}

/// A replayer for one of the run's threads: comparing when asked, its open calls under
/// `limit` ([`AuditOptions::thread_limit`]).
fn replayer(
    engine: Arc<Engine>,
    compare: Option<&Arc<Engine>>,
    limit: Option<MemoryLimit>,
) -> Replayer {
    let mut replayer = Replayer::new(engine);
    if let Some(other) = compare {
        replayer = replayer.comparing(Arc::clone(other));
    }
    if let Some(limit) = limit {
        replayer = replayer.with_memory_limit(limit);
    }
    replayer
}

/// Renders one finished call under the rules it ran under (the JSON stream's line).
pub type RenderCall = fn(&CallReport, &Rules) -> Vec<u8>;

impl AuditOptions<'_> {
    /// What the open calls of each of the run's replaying threads may take: the memory
    /// limit less the run's fixed cost and the allocator's slack, shared evenly.
    fn thread_limit(&self) -> Option<MemoryLimit> {
        self.memory_limit.map(|limit| {
            let calls = limit.bytes().saturating_sub(run_fixed_bytes(self.threads));
            let calls = calls - calls / ALLOCATOR_SLACK;
            MemoryLimit::from_bytes(calls / self.threads.max(1) as u64)
        })
    }

    /// What to tell the user before the run when the memory limit is below what this run
    /// needs whatever its log: its fixed cost, and some room for open calls in each thread
    /// (`ADVISED_THREAD_ROOM`, 4 MiB). Below that the peak may pass the limit, and with no room
    /// at all every open call goes to disk and back at every row (slow; the report is the
    /// same). The note says what limit keeps clear of both.
    ///
    /// ```
    /// use callflow_audit::memory::MemoryLimit;
    /// use callflow_audit::pipeline::AuditOptions;
    ///
    /// let options = |limit: &str, threads| AuditOptions {
    ///     threads,
    ///     memory_limit: Some(limit.parse::<MemoryLimit>().unwrap()),
    ///     ..AuditOptions::default()
    /// };
    /// assert!(options("256M", 3).memory_limit_note().is_none());
    /// let note = options("64M", 3).memory_limit_note().unwrap();
    /// assert!(note.starts_with("--memory-limit 64M is below"), "{note}");
    /// assert!(options("64M", 1).memory_limit_note().is_none());
    /// ```
    pub fn memory_limit_note(&self) -> Option<String> {
        let limit = self.memory_limit?;
        let threads = self.threads.max(1) as u64;
        let room = ADVISED_THREAD_ROOM * threads;
        let least = run_fixed_bytes(self.threads) + room + room / (ALLOCATOR_SLACK - 1);
        (limit.bytes() < least).then(|| {
            format!(
                "--memory-limit {limit} is below what this run needs whatever the log: {} \
                 fixed with {threads} thread{}, and {} of room for open calls. The peak may \
                 pass the limit, and open calls go to disk and back often (the report is the \
                 same); {} or more avoids both, as do fewer --threads",
                MemoryLimit::from_bytes(run_fixed_bytes(self.threads)),
                if threads == 1 { "" } else { "s" },
                MemoryLimit::from_bytes(room),
                MemoryLimit::from_bytes(least.next_multiple_of(1 << 20)),
            )
        })
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
            block_size: BLOCK_BYTES,
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
    /// Finished calls that waited on disk for a call that started before them (0 when those
    /// waiting never outgrew their share of the memory limit).
    pub finished_spilled: u64,
}

impl Totals {
    /// What to tell the user (on standard error: the report is the same whatever the limit)
    /// when open calls waited on disk.
    pub fn spill_note(&self) -> Option<String> {
        let open = (self.calls_spilled > 0).then(|| {
            format!(
                "the calls open at once outgrew the memory limit: open calls were moved to disk {} times and read back (the report is the same; --memory-limit raises the limit)",
                self.calls_spilled
            )
        });
        let finished = (self.finished_spilled > 0).then(|| {
            format!(
                "{} finished calls waited on disk for a call that started before them and was still open (the report is the same)",
                self.finished_spilled
            )
        });
        match (open, finished) {
            (Some(open), Some(finished)) => Some(format!("{open}; {finished}")),
            (open, finished) => open.or(finished),
        }
    }
}

/// What a run takes whatever its log (the program, the reader's buffer, the batches in
/// flight): the peak of auditing the bundled sample, 18.7 MB, rounded up. The memory limit
/// less this is what the open calls may take.
const RUN_FIXED_BYTES: u64 = 20 << 20;

/// What each worker adds to the run's fixed cost (its blocks and batches in flight, its share
/// of the calls finished and waiting to go out, its allocator's pages): measured on the
/// 200k-call log, 17.2 MB on one thread, 37.7 MB with 2 workers, 45.7 MB with 3, rounded up
/// to 10 MiB a worker.
const WORKER_FIXED_BYTES: u64 = 10 << 20;

/// The share of the room for open calls kept back for the allocator (one sixteenth): the
/// pages that calls moved to disk leave partly used. Without it, 2 million never-ending calls
/// under `--memory-limit 256M` peaked 1-5% over the limit with 3 workers
/// (docs/PERFORMANCE.md, "The limit held").
const ALLOCATOR_SLACK: u64 = 16;

/// The room for open calls in memory that a memory limit should leave each replaying thread,
/// at least ([`AuditOptions::memory_limit_note`]): 4 MiB, about 6,500 calls. With no room at
/// all every open call went to disk and back at every row: 500k calls under `64M` took 8.2 s
/// instead of 3.3 s, and peaked no lower.
const ADVISED_THREAD_ROOM: u64 = 4 << 20;

/// The fixed cost of a run of `threads` threads ([`AuditOptions::threads`]).
fn run_fixed_bytes(threads: usize) -> u64 {
    RUN_FIXED_BYTES + WAITING_BYTES + WORKER_FIXED_BYTES * Routes::new(threads).workers() as u64
}

/// What the finished calls waiting for an earlier call may take in memory under a memory
/// limit (an eighth of it under a smaller one) before those that go out last wait on disk
/// ([`Waiting`]).
const WAITING_BYTES: u64 = 16 << 20;

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
    let budget = options
        .memory_limit
        .map(|limit| WAITING_BYTES.min(limit.bytes() / 8));
    let mut order = InOrder::new(reader.source_name(), budget);
    let mut totals = run(reader, engine, options, &mut order, sink)?;
    totals.finished_spilled = order.waiting.spilled();
    Ok(totals)
}

/// Finished calls waiting for the calls that start before them, handed to the sink in the
/// order of their first lines.
struct InOrder {
    waiting: Waiting,
    /// Calls handed to the sink so far.
    released: u64,
    /// The log's name, for messages.
    source: String,
}

impl InOrder {
    /// Nothing waiting yet; past `budget` bytes, the waiting calls that go out last wait on
    /// disk.
    fn new(source: &str, budget: Option<u64>) -> InOrder {
        InOrder {
            waiting: budget.map_or_else(Waiting::default, Waiting::with_budget),
            released: 0,
            source: source.to_owned(),
        }
    }

    fn add(&mut self, report: CallReport) -> Result<(), Error> {
        self.waiting.add(report).map_err(|e| Error::Spill {
            cause: format!("could not keep a finished call on disk: {e}"),
        })
    }

    /// Hands out every call that starts before `low` (no call still open starts before it).
    fn release(&mut self, low: u64, sink: &mut dyn CallSink) -> Result<(), Error> {
        loop {
            let next = self.waiting.pop_before(low).map_err(|e| Error::Spill {
                cause: format!("could not read a finished call back from disk: {e}"),
            })?;
            let Some(report) = next else { return Ok(()) };
            sink.call(report)
                .map_err(|e| write_error(&self.source, e))?;
            self.released += 1;
        }
    }
}

fn write_error(source: &str, e: std::io::Error) -> Error {
    Error::Write {
        source_name: source.to_owned(),
        source: e,
    }
}

enum ToWorker {
    /// Split block `index` into records for the workers (and send them back).
    Parse { index: u64, block: Block },
    /// Replay these rows, the worker's share of one block.
    Rows(RecordBatch),
    /// Every row before `next_line` has been sent: report what finished and what is open.
    Epoch { number: u64, next_line: u64 },
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
    /// Block `index`, split into records.
    Parsed { index: u64, parsed: Parsed },
    Epoch {
        finished: Vec<CallReport>,
        earliest_open: Option<u64>,
        number: u64,
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

/// What one thread's replayer counted, once its rows are all replayed (or what the workers
/// counted, summed).
#[derive(Default)]
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
}

/// Record batches replayed and emptied, for the next blocks (shared by the threads that split
/// blocks and those that replay them).
#[derive(Clone, Default)]
struct BatchPool {
    spare: Arc<Mutex<Vec<RecordBatch>>>,
}

impl BatchPool {
    /// `count` empty batches.
    fn take(&self, count: usize) -> Vec<RecordBatch> {
        let mut taken = Vec::with_capacity(count);
        if let Ok(mut spare) = self.spare.lock() {
            while taken.len() < count {
                let Some(batch) = spare.pop() else { break };
                taken.push(batch);
            }
        }
        taken.resize_with(count, || RecordBatch::with_room(BATCH));
        taken
    }

    /// A batch done with.
    fn give(&self, mut batch: RecordBatch) {
        batch.clear();
        if let Ok(mut spare) = self.spare.lock() {
            spare.push(batch);
        }
    }
}

/// How a block is split and its records sorted by the worker that replays them.
#[derive(Clone)]
struct Splitter {
    delimiter: u8,
    columns: Columns,
    routes: Routes,
    pool: BatchPool,
}

impl Splitter {
    /// A scanner for this log's blocks, for one thread.
    fn scanner(&self) -> Scanner<std::io::Empty> {
        Scanner::for_blocks(self.delimiter)
    }

    fn split(
        &self,
        scanner: &mut Scanner<std::io::Empty>,
        block: Block,
    ) -> std::io::Result<Parsed> {
        let route = |record: RecordView<'_>| {
            self.routes
                .thread_of(record, &self.columns)
                .unwrap_or_default()
        };
        let batches = self.pool.take(self.routes.workers());
        parse_block(scanner, block, batches, &route)
    }
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

fn call_id_hash(call_id: &[u8]) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(call_id);
    hasher.finish()
}

/// Which thread replays a call, by a hash of the call id in one of [`Routes::BUCKETS`]
/// buckets: with one thread, the reading thread replays them all; with more, as many workers
/// share them evenly (the reading thread then only reads, and writes the report).
#[derive(Debug, Clone)]
pub struct Routes {
    workers: usize,
}

impl Routes {
    /// How many buckets the call ids' hashes fall into (and so the most workers a run starts).
    pub const BUCKETS: usize = 64;

    /// The routes of a run of `threads` threads (besides the reading thread when more than
    /// one).
    pub fn new(threads: usize) -> Self {
        let workers = if threads > 1 {
            threads.min(Self::BUCKETS)
        } else {
            0
        };
        Routes { workers }
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
        Some(bucket % self.workers)
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

/// Worker `index`: splits the blocks it is given and replays the rows of its share of the
/// calls, in the order sent, until the end; then reports its last calls and its books. Its
/// sends fail only once the reading thread has stopped, which the run reports itself.
fn worker(number: usize, setup: WorkerSetup, ends: WorkerEnds) {
    let WorkerEnds { inbox, outbox } = ends;
    let WorkerSetup {
        source,
        columns,
        engine,
        compare,
        history,
        render,
        memory_limit,
        splitter,
    } = setup;
    let mut replayer = replayer(Arc::clone(&engine), compare.as_ref(), memory_limit);
    let mut histories = history.then(Histories::default);
    let mut scanner = splitter.scanner();
    let mut finished = Vec::new();
    let mut last = None;
    for message in inbox {
        match message {
            ToWorker::Parse { index, block } => {
                let message = match splitter.split(&mut scanner, block) {
                    Ok(parsed) => FromWorker::Parsed { index, parsed },
                    Err(e) => FromWorker::Failed {
                        error: Error::ThreadStopped {
                            source_name: source.clone(),
                            thread: format!("replay thread {}", worker_name(number)),
                            cause: format!("could not split a block held in memory: {e}"),
                        },
                    },
                };
                let _ = outbox.send(message);
            }
            ToWorker::Rows(batch) => {
                for row in batch.rows(&columns) {
                    if let Some(mut report) = feed(&mut replayer, histories.as_mut(), row) {
                        prerender(&mut report, render, replayer.engine());
                        finished.push(report);
                    }
                }
                // The batch keeps its buffers for the next rows.
                splitter.pool.give(batch);
            }
            ToWorker::Epoch { number, next_line } => {
                // The next epoch finishes about as many calls: room for them from the start
                // (growing a list of reports copies them over and over).
                let room = finished.len();
                let _ = outbox.send(FromWorker::Epoch {
                    finished: std::mem::replace(&mut finished, Vec::with_capacity(room)),
                    earliest_open: replayer.earliest_open_line(),
                    number,
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
            worker: number,
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

/// Runs worker `number`; when it panics, tells the reading thread (which may be waiting for
/// a block only that worker would split) before the panic goes on to the join.
fn worker_or_its_panic(number: usize, setup: WorkerSetup, ends: WorkerEnds) {
    let outbox = ends.outbox.clone();
    let source = setup.source.clone();
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| worker(number, setup, ends)));
    if let Err(payload) = outcome {
        let thread = format!("replay thread {}", worker_name(number));
        let error = panicked(&source, thread, payload.as_ref());
        let _ = outbox.send(FromWorker::Failed { error });
        panic::resume_unwind(payload);
    }
}

/// What a worker is started with.
struct WorkerSetup {
    /// The log's name, for messages.
    source: String,
    columns: Columns,
    engine: Arc<Engine>,
    compare: Option<Arc<Engine>>,
    history: bool,
    render: Option<RenderCall>,
    /// What its open calls may take ([`AuditOptions::thread_limit`]).
    memory_limit: Option<MemoryLimit>,
    /// How it splits the blocks it is given.
    splitter: Splitter,
}

/// Collects the workers' epochs; an epoch is complete when every worker reported it, and the
/// calls that start before all their open calls go out.
struct Collector {
    participants: usize,
    /// By epoch (its number): how many reported it, and the earliest open line among them.
    pending: BTreeMap<u64, (usize, u64)>,
    /// How many epochs are complete.
    completed: u64,
    /// By worker: whether it reported its last calls and its books.
    done: Vec<bool>,
    /// The books of the workers that reported them, summed.
    books: Books,
}

impl Collector {
    /// One worker reached epoch `number`, which ends before `next_line`.
    fn epoch(
        &mut self,
        (number, next_line): (u64, u64),
        earliest_open: Option<u64>,
        order: &mut InOrder,
        sink: &mut dyn CallSink,
    ) -> Result<(), Error> {
        let entry = self.pending.entry(number).or_insert((0, next_line));
        entry.0 += 1;
        entry.1 = entry.1.min(earliest_open.unwrap_or(u64::MAX));
        if entry.0 == self.participants {
            let low = entry.1;
            self.pending.remove(&number);
            self.completed += 1;
            order.release(low, sink)?;
        }
        Ok(())
    }

    /// A participant's rows are all replayed.
    fn count(&mut self, books: Books) {
        let sum = &mut self.books;
        sum.rows.read += books.rows.read;
        sum.rows.replayed += books.rows.replayed;
        sum.rows.rejected += books.rows.rejected;
        sum.rejected.extend(books.rejected);
        sum.started += books.started;
        sum.spilled += books.spilled;
    }

    /// The first worker that has not reported its books, if any.
    fn not_done(&self) -> Option<usize> {
        self.done.iter().position(|done| !done)
    }

    /// Takes one worker's message, but for a parsed block, which it gives back; fails with
    /// the worker's own failure, or when the sink cannot take a call.
    fn take(
        &mut self,
        message: FromWorker,
        order: &mut InOrder,
        sink: &mut dyn CallSink,
    ) -> Result<Option<(u64, Parsed)>, Error> {
        match message {
            FromWorker::Parsed { index, parsed } => return Ok(Some((index, parsed))),
            FromWorker::Epoch {
                finished,
                earliest_open,
                number,
                next_line,
            } => {
                for report in finished {
                    order.add(report)?;
                }
                self.epoch((number, next_line), earliest_open, order, sink)?;
            }
            FromWorker::Failed { error } => return Err(error),
            FromWorker::Done {
                worker,
                finished,
                books,
            } => {
                for report in finished {
                    order.add(report)?;
                }
                self.count(books);
                if let Some(done) = self.done.get_mut(worker) {
                    *done = true;
                }
            }
        }
        Ok(None)
    }
}

/// The calls a run of one thread replays where it reads.
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
    ) -> Result<(), Error> {
        let row = raw.row_of(record, columns);
        if let Some(mut report) = feed(&mut self.replayer, self.histories.as_mut(), row) {
            prerender(&mut report, self.render, self.replayer.engine());
            order.add(report)?;
        }
        Ok(())
    }

    /// The log is over: the books, and the calls still open, one at a time.
    fn close(self) -> Result<(LastCalls, Books), Error> {
        let Local {
            replayer,
            histories,
            render,
        } = self;
        let engine = Arc::clone(replayer.engine());
        let (still_open, books) = close(replayer)?;
        let last = LastCalls {
            still_open,
            histories,
            render,
            engine,
        };
        Ok((last, books))
    }
}

/// Runs an audit: with one thread, [`read_alone`]; with more, that many workers split the
/// log's blocks and replay their share of the calls while the reading thread reads the
/// blocks and hands finished calls to the sink ([`read_in_blocks`]).
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
    if workers == 0 {
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            read_alone(reader, engine, options, order, sink)
        }));
        return outcome.unwrap_or_else(|payload| {
            Err(panicked(
                &source,
                "the reading thread".to_owned(),
                payload.as_ref(),
            ))
        });
    }
    let splitter = Splitter {
        delimiter: reader.delimiter(),
        columns,
        routes,
        pool: BatchPool::default(),
    };
    let render = options.render_where_replayed();
    let (outbox, results) = mpsc::channel::<FromWorker>();
    let mut inboxes: Vec<SyncSender<ToWorker>> = Vec::with_capacity(workers);
    let mut handles = Vec::with_capacity(workers);
    for index in 0..workers {
        let (inbox, receiver) = mpsc::sync_channel::<ToWorker>(INBOX);
        inboxes.push(inbox);
        let setup = WorkerSetup {
            source: source.clone(),
            columns,
            engine: Arc::clone(&engine),
            compare: options.compare.cloned(),
            history: options.history,
            render,
            memory_limit: options.thread_limit(),
            splitter: splitter.clone(),
        };
        let ends = WorkerEnds {
            inbox: receiver,
            outbox: outbox.clone(),
        };
        let spawned = thread::Builder::new()
            .name(worker_name(index))
            .spawn(move || worker_or_its_panic(index, setup, ends))
            .map_err(|e| Error::Thread {
                source_name: source.clone(),
                source: e,
            })?;
        handles.push(spawned);
    }
    drop(outbox);
    let channels = Channels { inboxes, results };
    // The reading thread's part, the sink included. It owns its ends of the channels:
    // however it ends, even unwinding, they close, and each worker finishes.
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        read_in_blocks(reader, options, splitter, channels, order, sink)
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

/// One thread: reads every row and replays every call, handing finished calls to the sink,
/// and checks the books at the end.
fn read_alone<R: Read>(
    mut reader: LogReader<R>,
    engine: Arc<Engine>,
    options: AuditOptions<'_>,
    order: &mut InOrder,
    sink: &mut dyn CallSink,
) -> Result<Totals, Error> {
    let source = reader.source_name().to_owned();
    let columns = *reader.columns();
    let mut local = Local {
        replayer: replayer(engine, options.compare, options.thread_limit()),
        histories: options.history.then(Histories::default),
        render: options.render_where_replayed(),
    };
    let mut since = 0u64;
    while let Some((raw, record)) = reader.next_record()? {
        local.replay(&raw, record, &columns, order)?;
        since += 1;
        if since == EPOCH {
            since = 0;
            let open = local.replayer.earliest_open_line().unwrap_or(u64::MAX);
            order.release(open.min(raw.line + 1), sink)?;
            if let Some(progress) = options.progress {
                progress(reader.bytes_read());
            }
        }
    }
    let (last, books) = local.close()?;
    let threads: Vec<Box<dyn Iterator<Item = Result<CallReport, Error>>>> = vec![Box::new(last)];
    merge_last_calls(threads, order, sink)?;
    totals(
        &source,
        reader.rows_read(),
        books,
        order.released,
        reader.identity(),
    )
}

/// How many messages a worker's inbox holds before the reading thread waits: room for every
/// block in flight (a block to split, its rows, its epoch) and the end.
const INBOX: usize = 4 * BLOCKS_IN_FLIGHT as usize;

/// How many blocks may be read and not yet replayed by every worker: what bounds the run's
/// memory for rows (the blocks and the batches they are split into), whatever the log.
const BLOCKS_IN_FLIGHT: u64 = 12;

/// The reading thread's ends of the channels to and from the workers.
struct Channels {
    inboxes: Vec<SyncSender<ToWorker>>,
    results: Receiver<FromWorker>,
}

/// The reading thread of a run with workers: what it knows of the blocks and the calls.
struct Coordinator {
    source: String,
    inboxes: Vec<SyncSender<ToWorker>>,
    splitter: Splitter,
    collector: Collector,
    sequencer: Sequencer,
    /// For blocks split again here (when one starts inside the last one's quoted field).
    scanner: Scanner<std::io::Empty>,
    /// Block buffers done with, to read the next blocks into.
    spent: Vec<Vec<u8>>,
    /// Rows of the blocks put in place so far.
    rows_read: u64,
    /// Epochs sent (one after each block put in place).
    epochs: u64,
}

impl Coordinator {
    fn send(&self, worker: usize, message: ToWorker) -> Result<(), Error> {
        match self.inboxes.get(worker) {
            Some(inbox) if inbox.send(message).is_ok() => Ok(()),
            _ => Err(channel_closed(&self.source, worker)),
        }
    }

    /// Takes a worker's message: a block split (then every block now in place goes to its
    /// workers, each followed by an epoch), an epoch, the books, or a failure.
    fn take(
        &mut self,
        message: FromWorker,
        order: &mut InOrder,
        sink: &mut dyn CallSink,
    ) -> Result<(), Error> {
        let Some((index, parsed)) = self.collector.take(message, order, sink)? else {
            return Ok(());
        };
        self.sequencer.add(index, parsed);
        while let Some(placed) = self.next_in_place()? {
            self.rows_read += placed.records;
            for (worker, batch) in placed.batches.into_iter().enumerate() {
                if batch.is_empty() {
                    self.splitter.pool.give(batch);
                } else {
                    self.send(worker, ToWorker::Rows(batch))?;
                }
            }
            for worker in 0..self.inboxes.len() {
                let epoch = ToWorker::Epoch {
                    number: self.epochs,
                    next_line: placed.next_line,
                };
                self.send(worker, epoch)?;
            }
            self.epochs += 1;
        }
        Ok(())
    }

    /// The next block in place, if it is split (split again here when it starts inside the
    /// last one's quoted field).
    fn next_in_place(&mut self) -> Result<Option<Sequenced>, Error> {
        let splitter = &self.splitter;
        let scanner = &mut self.scanner;
        let mut reparse = |block: Block| splitter.split(scanner, block);
        self.sequencer
            .next_in_place(&mut reparse, &mut self.spent)
            .map_err(|e| Error::ThreadStopped {
                source_name: self.source.clone(),
                thread: "the reading thread".to_owned(),
                cause: format!("could not split a block held in memory: {e}"),
            })
    }
}

/// The reading thread of a run with workers: reads the log in blocks (hashing every byte),
/// has the workers split them in turn, puts the split blocks back in order and sends each
/// worker its rows, hands finished calls to the sink, and checks the books at the end. At
/// most [`BLOCKS_IN_FLIGHT`] blocks are read ahead of the slowest worker's replay.
fn read_in_blocks<R: Read>(
    reader: LogReader<R>,
    options: AuditOptions<'_>,
    splitter: Splitter,
    channels: Channels,
    order: &mut InOrder,
    sink: &mut dyn CallSink,
) -> Result<Totals, Error> {
    let source = reader.source_name().to_owned();
    let mut blocks = reader.into_blocks(options.block_size)?;
    let Channels { inboxes, results } = channels;
    let workers = inboxes.len();
    let scanner = splitter.scanner();
    let mut run = Coordinator {
        source: source.clone(),
        inboxes,
        splitter,
        collector: Collector {
            participants: workers,
            pending: BTreeMap::new(),
            completed: 0,
            done: vec![false; workers],
            books: Books::default(),
        },
        sequencer: Sequencer::new(blocks.start()),
        scanner,
        spent: Vec::new(),
        rows_read: 0,
        epochs: 0,
    };
    let mut read = 0u64;
    let mut at_end = false;
    loop {
        if !at_end && read - run.collector.completed < BLOCKS_IN_FLIGHT {
            let buffer = run.spent.pop().unwrap_or_default();
            let block = blocks.next_block(buffer).map_err(|e| Error::Read {
                path: source.clone().into(),
                source: e,
            })?;
            match block {
                Some(block) => {
                    at_end = block.last;
                    let worker = (read % workers as u64) as usize;
                    run.send(worker, ToWorker::Parse { index: read, block })?;
                    read += 1;
                    if let Some(progress) = options.progress {
                        progress(blocks.bytes_read());
                    }
                }
                None => at_end = true,
            }
        } else if at_end && run.sequencer.placed() == read {
            break;
        } else {
            let message = results
                .recv()
                .map_err(|_| channel_closed(&source, run.collector.not_done().unwrap_or(0)))?;
            run.take(message, order, sink)?;
        }
        while let Ok(message) = results.try_recv() {
            run.take(message, order, sink)?;
        }
    }
    let mut lasts = Vec::with_capacity(workers);
    for worker in 0..workers {
        let (last, from_worker) = mpsc::sync_channel(LAST_CALLS_IN_FLIGHT);
        lasts.push(from_worker);
        run.send(worker, ToWorker::End { last })?;
    }
    let Coordinator {
        inboxes,
        mut collector,
        rows_read,
        ..
    } = run;
    drop(inboxes);
    // Until every worker reported its books, or the last one's end of the channel closed.
    for message in results.iter() {
        collector.take(message, order, sink)?;
        if collector.not_done().is_none() {
            break;
        }
    }
    if let Some(worker) = collector.not_done() {
        return Err(channel_closed(&source, worker));
    }
    // The calls still open, from every worker, merged in first-line order with those that
    // finished and wait for them.
    let threads: Vec<Box<dyn Iterator<Item = Result<CallReport, Error>>>> = lasts
        .into_iter()
        .map(|from_worker| {
            // Until the worker's end closes: it sent all its calls, or it stopped, which the
            // books or the join report.
            Box::new(std::iter::from_fn(move || from_worker.recv().ok()))
                as Box<dyn Iterator<Item = Result<CallReport, Error>>>
        })
        .collect();
    merge_last_calls(threads, order, sink)?;
    totals(
        &source,
        rows_read,
        collector.books,
        order.released,
        blocks.identity(),
    )
}

/// Hands out the calls still open at the end of the log, one at a time from each thread (each
/// in first-line order), merged with the finished calls waiting in `order`: a call goes out
/// as soon as no thread can still give an earlier one. Holds one call a thread at a time.
fn merge_last_calls(
    mut threads: Vec<Box<dyn Iterator<Item = Result<CallReport, Error>> + '_>>,
    order: &mut InOrder,
    sink: &mut dyn CallSink,
) -> Result<(), Error> {
    let mut heads: Vec<Option<CallReport>> = Vec::with_capacity(threads.len());
    for thread in &mut threads {
        heads.push(thread.next().transpose()?);
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
            order.add(call)?;
        }
        *head = thread.next().transpose()?;
        let low = heads
            .iter()
            .filter_map(|head| head.as_ref().map(|call| call.first_line))
            .min()
            .unwrap_or(u64::MAX);
        order.release(low, sink)?;
    }
    order.release(u64::MAX, sink)
}

/// What a run that read `read` rows and handed `reported` calls to the sink reports, once its
/// books balance ([`check_books`]): the rejected rows by line.
fn totals(
    source: &str,
    read: u64,
    books: Books,
    reported: u64,
    log: LogIdentity,
) -> Result<Totals, Error> {
    check_books(source, read, &books, reported)?;
    let mut rejected = books.rejected;
    rejected.sort_by_key(|r| r.line);
    Ok(Totals {
        rows: books.rows,
        rejected,
        log,
        calls_spilled: books.spilled,
        finished_spilled: 0,
    })
}

/// The run's own books, before it reports success: every row read was replayed or rejected
/// (`read = replayed + rejected`, the threads' counts against the reader's), and every call
/// started went to the sink once.
fn check_books(source: &str, read: u64, books: &Books, reported: u64) -> Result<(), Error> {
    let rows = books.rows;
    let problem = if rows.read != read || rows.replayed + rows.rejected != read {
        format!(
            "{read} rows read, but {} replayed and {} rejected",
            rows.replayed, rows.rejected
        )
    } else if books.started != reported {
        format!("{} calls started, but {reported} reported", books.started)
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
    fn with_more_threads_the_workers_share_the_calls_evenly_and_the_reader_only_reads() {
        let counts = shares(2, 20_000);
        assert_eq!(counts, [0, counts[1], counts[2]], "{counts:?}");
        for &worker in &counts[1..] {
            assert!((9_000..11_000).contains(&worker), "{counts:?}");
        }
        let counts = shares(3, 30_000);
        assert_eq!(counts.len(), 4);
        assert_eq!(counts[0], 0, "{counts:?}");
        for &worker in &counts[1..] {
            assert!((8_500..11_500).contains(&worker), "{counts:?}");
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
