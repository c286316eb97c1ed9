use std::process::ExitCode;

// mimalloc instead of the system allocator: an audit allocates a few small strings and vectors
// per call and per finding, and the whole audit of a 200,000-call log runs about 10% faster
// with it, for some megabytes more of peak memory (docs/PERFORMANCE.md). Only the binary
// chooses it; the library crates leave the choice to whoever embeds them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    callflow::cli::main()
}
