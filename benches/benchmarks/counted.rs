//! mimalloc, counting the bytes it holds: each block's usable size (mimalloc rounds a request
//! up to its size class), added when handed out and taken off when freed. The `live` bench
//! reads the count before and after opening its calls: the resident set cannot say, since
//! pages freed by the groups before it are reused.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};

use mimalloc::MiMalloc;

/// The bytes held, as mimalloc's blocks.
static HELD: AtomicUsize = AtomicUsize::new(0);

extern "C" {
    // mimalloc's own API (linked with the allocator): the usable size of a block it handed out.
    fn mi_usable_size(p: *const c_void) -> usize;
}

/// The bytes held now.
pub fn held() -> usize {
    HELD.load(Ordering::Relaxed)
}

/// mimalloc with a count of the bytes it holds.
pub struct Counted;

/// The bytes mimalloc holds for the block at `p` (null: 0).
pub fn usable_of<T>(p: *const T) -> usize {
    if p.is_null() {
        return 0;
    }
    usable(p.cast())
}

fn usable(p: *const u8) -> usize {
    // SAFETY: `p` is null or a block this allocator (mimalloc) handed out.
    unsafe { mi_usable_size(p.cast()) }
}

// SAFETY: every call goes to mimalloc unchanged; only a counter is kept beside.
unsafe impl GlobalAlloc for Counted {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout, passed on.
        let p = unsafe { MiMalloc.alloc(layout) };
        HELD.fetch_add(usable(p), Ordering::Relaxed);
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout, passed on.
        let p = unsafe { MiMalloc.alloc_zeroed(layout) };
        HELD.fetch_add(usable(p), Ordering::Relaxed);
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(usable(ptr), Ordering::Relaxed);
        // SAFETY: a block this allocator handed out, with its layout.
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let before = usable(ptr);
        // SAFETY: a block this allocator handed out, with its layout.
        let p = unsafe { MiMalloc.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            HELD.fetch_add(usable(p), Ordering::Relaxed);
            HELD.fetch_sub(before, Ordering::Relaxed);
        }
        p
    }
}
