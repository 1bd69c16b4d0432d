//! The process's compression threads: one pool, made when the first
//! parallel stream needs it and shared by every stream after that. A task
//! is a closure that owns all it works on and hands its result back
//! itself, so the pool knows nothing of deflate.
//!
//! - Threads are added as streams ask for them, up to [`MAX_THREADS`]; a
//!   thread that cannot be made is simply not there, and a task with no
//!   thread to run it runs on the caller's thread instead.
//! - A stream can take back its tasks that no thread has started
//!   ([`withdraw`]), so that ending it never waits for work nobody needs.
//! - `fork`: before it, the pool lets the running tasks finish and holds
//!   its lock across the fork, so that no lock is left held in the child.
//!   The child has none of the threads: it makes new ones when a stream
//!   next asks, and they run the tasks the child inherited in the queue.
//!   The handlers are registered with `pthread_atfork` when the pool is
//!   made.
//!
//! Threads are POSIX threads made with `pthread_create`, and the cores are
//! counted with `sched_getaffinity`: std's threads and core count would
//! bring 36 KB of code (stack-overflow guards, spawn hooks, cgroup
//! parsing) into a library with a 600 KB budget. Those calls and
//! `pthread_atfork` are this module's only `unsafe`.

use core::ffi::c_void;
use core::ptr;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock, PoisonError};

/// Threads the pool makes at most, whatever the streams ask for.
pub const MAX_THREADS: usize = 64;

/// A piece of work: it owns what it works on and delivers its result.
pub(crate) type Task = Box<dyn FnOnce() + Send + 'static>;

struct Queued {
    /// The stream that gave it, for [`withdraw`].
    owner: u64,
    task: Task,
}

#[derive(Default)]
struct State {
    queue: VecDeque<Queued>,
    /// Threads made (in a forked child, made since the fork).
    threads: usize,
    /// Tasks being run by pool threads.
    running: usize,
    /// A fork is under way: no task starts.
    forking: bool,
    /// Making a thread failed: no more are tried.
    refused: bool,
}

struct Pool {
    state: Mutex<State>,
    /// A task was queued, or a fork ended.
    work: Condvar,
    /// No task is running (what a fork waits for).
    idle: Condvar,
}

static POOL: OnceLock<Pool> = OnceLock::new();

fn pool() -> &'static Pool {
    POOL.get_or_init(|| {
        register_fork_handlers();
        Pool {
            state: Mutex::new(State::default()),
            work: Condvar::new(),
            idle: Condvar::new(),
        }
    })
}

impl Pool {
    /// The state. A panic never happens under the lock (tasks run outside
    /// it), so a poisoned lock still guards consistent state.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes threads until there are `wanted` (at most [`MAX_THREADS`]),
    /// or one cannot be made.
    fn grow(&'static self, state: &mut State, wanted: usize) {
        while state.threads < wanted.min(MAX_THREADS) && !state.refused {
            if self.spawn() {
                state.threads += 1;
            } else {
                state.refused = true;
            }
        }
    }

    /// Starts a detached thread that serves the pool; false when the
    /// system refuses one.
    fn spawn(&'static self) -> bool {
        extern "C" fn start(pool: *mut c_void) -> *mut c_void {
            // SAFETY: `spawn` passes its `&'static Pool`, which lives as
            // long as the program.
            let pool = unsafe { &*(pool as *const Pool) };
            // `serve` never returns, and nothing in it panics (each task
            // is caught), so nothing unwinds out of this C function.
            pool.serve()
        }
        let mut thread: libc::pthread_t = 0;
        let pool = self as *const Pool as *mut c_void;
        // SAFETY: `thread` is written by pthread_create; default
        // attributes; `start` has the signature pthread_create calls, and
        // its argument outlives the thread.
        let made = unsafe { libc::pthread_create(&mut thread, ptr::null(), start, pool) };
        if made != 0 {
            return false;
        }
        // SAFETY: the thread exists and is detached once; nobody joins it.
        unsafe { libc::pthread_detach(thread) };
        true
    }

    /// A pool thread's life: run queued tasks, wait when there are none.
    fn serve(&self) -> ! {
        let mut state = self.lock();
        loop {
            if !state.forking {
                if let Some(queued) = state.queue.pop_front() {
                    state.running += 1;
                    drop(state);
                    // A task catches its own panics; this is a second line
                    // that keeps the thread alive.
                    let _ = catch_unwind(AssertUnwindSafe(queued.task));
                    state = self.lock();
                    state.running -= 1;
                    if state.running == 0 {
                        self.idle.notify_all();
                    }
                    continue;
                }
            }
            state = self
                .work
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Runs `task` for stream `owner` on a pool thread (the pool grows to
/// `threads` first), or right here if the pool has no thread.
pub(crate) fn submit(owner: u64, threads: usize, task: Task) {
    let pool = pool();
    let mut state = pool.lock();
    pool.grow(&mut state, threads);
    if state.threads == 0 {
        drop(state);
        task();
        return;
    }
    state.queue.push_back(Queued { owner, task });
    drop(state);
    pool.work.notify_one();
}

/// Takes back `owner`'s tasks that no thread has started. The caller drops
/// them (on its own thread, with what they own) or runs them.
pub(crate) fn withdraw(owner: u64) -> Vec<Task> {
    let Some(pool) = POOL.get() else {
        return Vec::new();
    };
    let mut state = pool.lock();
    let mut taken = Vec::new();
    state.queue.retain_mut(|queued| {
        if queued.owner != owner {
            return true;
        }
        let task = core::mem::replace(&mut queued.task, Box::new(|| {}));
        taken.push(task);
        false
    });
    taken
}

/// For a stream about to wait on its tasks: whether a pool thread will run
/// them. In a forked child the pool first makes its threads again; if none
/// can be made, the waiter must run its queued tasks itself.
pub(crate) fn has_threads(threads: usize) -> bool {
    let pool = pool();
    let mut state = pool.lock();
    pool.grow(&mut state, threads);
    state.threads != 0
}

thread_local! {
    /// The pool's lock, held by the forking thread from before the fork to
    /// after it (the child's only thread is that thread's copy).
    static HELD: RefCell<Option<MutexGuard<'static, State>>> = const { RefCell::new(None) };
}

/// Before a fork: no task is running and the lock is held, so the child
/// inherits neither a half-run task nor a lock some thread holds.
extern "C" fn before_fork() {
    let Some(pool) = POOL.get() else {
        return;
    };
    let mut state = pool.lock();
    state.forking = true;
    while state.running != 0 {
        state = pool
            .idle
            .wait(state)
            .unwrap_or_else(PoisonError::into_inner);
    }
    HELD.with(|held| *held.borrow_mut() = Some(state));
}

/// After a fork, in the parent: the threads go on.
extern "C" fn after_fork_in_parent() {
    if let Some(mut state) = HELD.with(|held| held.borrow_mut().take()) {
        state.forking = false;
        drop(state);
        if let Some(pool) = POOL.get() {
            pool.work.notify_all();
        }
    }
}

/// After a fork, in the child: none of the threads exist here; new ones are
/// made when a stream asks (and may be refused again or not).
extern "C" fn after_fork_in_child() {
    if let Some(mut state) = HELD.with(|held| held.borrow_mut().take()) {
        state.forking = false;
        state.threads = 0;
        state.running = 0;
        state.refused = false;
    }
}

/// The cores this process may run on (its affinity mask), at least 1.
pub(crate) fn cores() -> usize {
    // SAFETY: an all-zero cpu_set_t is an empty set, which
    // sched_getaffinity fills within the size it is given.
    let mut set: libc::cpu_set_t = unsafe { core::mem::zeroed() };
    let size = core::mem::size_of::<libc::cpu_set_t>();
    // SAFETY: `set` is valid for writes of `size` bytes.
    if unsafe { libc::sched_getaffinity(0, size, &mut set) } != 0 {
        return 1;
    }
    // SAFETY: `set` is initialised.
    let count = unsafe { libc::CPU_COUNT(&set) };
    usize::try_from(count).unwrap_or(1).max(1)
}

/// Registers the fork handlers, once, when the pool is made. Miri has no
/// `pthread_atfork`, and tests under it do not fork.
fn register_fork_handlers() {
    #[cfg(not(miri))]
    // SAFETY: the three handlers are plain functions that live as long as
    // the program (the library is never unloaded once it has threads), and
    // catch nothing because nothing in them panics: a poisoned lock is
    // recovered, and the thread-local holds its guard alone.
    unsafe {
        libc::pthread_atfork(
            Some(before_fork),
            Some(after_fork_in_parent),
            Some(after_fork_in_child),
        );
    }
}
