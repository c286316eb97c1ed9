//! The memory of an open call (issue #23): the bytes a `Call` holds inline and on the heap
//! for the calls of the `live` bench (the overdue call of benches/benchmarks/fixtures.rs, each
//! stopped at a random event), counted by an allocator that adds up what is asked of it.
//! The bench measures the resident set under mimalloc, which rounds each allocation up.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use callflow_workflows::{Call, Engine};

/// Counts the bytes allocated and not yet freed.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's layout, as the caller promised it to us.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: a pointer this allocator gave, with its layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[path = "fixtures/live_floor.rs"]
mod live_floor;
use live_floor::live_call;

#[test]
fn an_open_call_of_the_live_bench_holds_under_512_bytes() {
    let engine = Arc::new(Engine::builtin());
    let start_at = chrono::DateTime::parse_from_rfc3339("2026-03-02T14:05:11-05:00").unwrap();
    let mut rng = fastrand::Rng::with_seed(23);
    const CALLS: usize = 20_000;
    let mut calls = Vec::with_capacity(CALLS);
    let mut heap = 0;
    let mut by_events = [(0usize, 0usize); 11];
    for n in 1..=CALLS {
        let events = rng.usize(0..11);
        let before = LIVE.load(Ordering::Relaxed);
        let call = live_call(&engine, n, start_at, events);
        let held = LIVE.load(Ordering::Relaxed) - before;
        heap += held;
        by_events[events].0 += held;
        by_events[events].1 += 1;
        calls.push(call);
    }
    let inline = std::mem::size_of::<Call>();
    let machine = calls
        .iter()
        .find_map(|call: &Call| {
            call.inquiries()
                .first()?
                .machine()
                .map(std::mem::size_of_val)
        })
        .unwrap_or(0);
    eprintln!(
        "sizes: Inquiry {}, its machine {machine}, Facts {}, Findings {}, Stamp {}",
        std::mem::size_of::<callflow_workflows::Inquiry>(),
        std::mem::size_of::<callflow_workflows::Facts>(),
        std::mem::size_of::<callflow_workflows::Findings>(),
        std::mem::size_of::<callflow_workflows::Stamp>(),
    );
    let mean = heap / CALLS;
    let spread: Vec<String> = by_events
        .iter()
        .enumerate()
        .map(|(events, (bytes, n))| format!("{events}: {}", bytes / (*n).max(1)))
        .collect();
    eprintln!(
        "an open call: {inline} bytes inline, {mean} on the heap on average (after n events: {})",
        spread.join(", ")
    );
    // The call keeps its first inquiry and first two facts inline (live latency: an event
    // reaches them without a pointer of their own), the procedure machine its first six steps.
    // Stamps are packed into 16 bytes, the four names known at the start share one
    // allocation and the customer's has its own (#23); an inquiry keeps its procedure's name
    // and machine, or its uncovered code, in one field, the machine in place (up to 160 bytes,
    // `MachineSpace`); a fact's value takes 16 bytes; the policy version is not kept.
    assert!(inline <= 456, "a Call is {inline} bytes inline");
    assert!(std::mem::size_of::<callflow_workflows::Inquiry>() <= 256);
    assert!(std::mem::size_of::<callflow_workflows::Facts>() <= 56);
    // The shopping-dollars machine is kept in place: once the inquiry has opened (3 events
    // and more), a call holds no more on the heap than its names.
    for (events, (bytes, n)) in by_events.iter().enumerate().skip(3) {
        assert!(
            bytes / (*n).max(1) < 64,
            "{} bytes on the heap after {events} events",
            bytes / (*n).max(1)
        );
    }
    assert!(
        machine <= 160,
        "a shopping-dollars machine is {machine} bytes"
    );
    // A scope without findings holds one empty pointer, not two lists.
    assert_eq!(std::mem::size_of::<callflow_workflows::Findings>(), 8);
    // Counted bytes; the allocator's rounding comes on top (the bench measures it).
    assert!(inline + mean < 512, "{inline} + {mean} bytes");
}
