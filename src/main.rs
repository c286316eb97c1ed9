use std::process::ExitCode;

// mimalloc instead of the system allocator: an audit allocates a few small strings and vectors
// per call and per finding, and the whole audit of a 200,000-call log runs about 10% faster
// with it, for some megabytes more of peak memory (docs/PERFORMANCE.md). Only the binary
// chooses it; the library crates leave the choice to whoever embeds them. Built without
// transparent huge pages (`no_thp`): with them, each new 2 MB page was zeroed whole on first
// touch, and the workers of issue #22 doubled the peak memory (97 MB against 46 MB on the
// 200k-call log) for no speed (docs/PERFORMANCE.md, "Both cores read").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    callflow::cli::main()
}
