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
    pub render: Option<RenderCall>,
    /// Also replays every call under this engine (the policy compared against, `audit
    /// --compare`): each report then carries both judgements (`CallReport::compared`), in
    /// the same single pass over the log.
    pub compare: Option<&'a Arc<Engine>>,
}

/// Renders one finished call under the rules it ran under (the JSON stream's line).
pub type RenderCall = fn(&CallReport, &Rules) -> Vec<u8>;

impl AuditOptions<'_> {
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
}

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
    End,
}

enum FromWorker {
    Epoch {
        finished: Vec<CallReport>,
        earliest_open: Option<u64>,
        next_line: u64,
    },
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

/// The log is over for one thread: its calls still open, judged (given their rows when they
/// are kept), and its books.
fn finish(replayer: Replayer, histories: Option<&mut Histories>) -> (Vec<CallReport>, Books) {
    let started = replayer.calls_started();
    let (mut rest, rows, rejected) = replayer.finish();
    if let Some(histories) = histories {
        for report in &mut rest {
            histories.attach(report);
        }
    }
    let books = Books {
        rows,
        rejected,
        started,
    };
    (rest, books)
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
fn worker(
    index: usize,
    columns: Columns,
    engine: Arc<Engine>,
    compare: Option<Arc<Engine>>,
    history: bool,
    render: Option<RenderCall>,
    ends: WorkerEnds,
) {
    let WorkerEnds {
        inbox,
        outbox,
        recycle,
    } = ends;
    let mut replayer = Replayer::new(engine);
    if let Some(other) = compare {
        replayer = replayer.comparing(other);
    }
    let mut histories = history.then(Histories::default);
    let mut finished = Vec::new();
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
            ToWorker::End => break,
        }
    }
    let (rest, books) = finish(replayer, histories.as_mut());
    finished.extend(rest);
    let _ = outbox.send(FromWorker::Done {
        worker: index,
        finished,
        books,
    });
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
    }

    /// The first worker that has not reported its books, if any.
    fn not_done(&self) -> Option<usize> {
        self.done.iter().position(|done| !done)
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

    /// The calls still open at the end of the log, judged, and the row counts.
    fn finish(self, order: &mut InOrder, collector: &mut Collector) {
        let Local {
            replayer,
            mut histories,
            ..
        } = self;
        let (rest, books) = finish(replayer, histories.as_mut());
        for report in rest {
            order.add(report);
        }
        collector.count(books);
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
        let engine = Arc::clone(&engine);
        let history = options.history;
        let compare = options.compare.cloned();
        let ends = WorkerEnds {
            inbox: receiver,
            outbox: outbox.clone(),
            recycle: recycle.clone(),
        };
        let spawned = thread::Builder::new()
            .name(worker_name(index))
            .spawn(move || worker(index, columns, engine, compare, history, render, ends))
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
    let mut replayer = Replayer::new(engine);
    if let Some(other) = options.compare {
        replayer = replayer.comparing(Arc::clone(other));
    }
    let mut local = Local {
        replayer,
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
        let sent = part.is_empty() || send(shard, ToWorker::Rows(part));
        if !sent || !send(shard, ToWorker::End) {
            return Err(channel_closed(&source, shard));
        }
    }
    drop(inboxes);
    local.finish(order, &mut collector);
    // Until every worker reported its books, or the last one's end of the channel closed.
    for message in results.iter() {
        collector
            .take(message, order, sink)
            .map_err(|e| write_error(&source, e))?;
        if collector.not_done().is_none() {
            break;
        }
    }
    if let Some(worker) = collector.not_done() {
        return Err(channel_closed(&source, worker));
    }
    order
        .release(u64::MAX, sink)
        .map_err(|e| write_error(&source, e))?;
    check_books(&source, reader.rows_read(), &collector, order.released)?;
    collector.rejected.sort_by_key(|r| r.line);
    Ok(Totals {
        rows: collector.rows,
        rejected: collector.rejected,
        log: reader.identity(),
    })
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
