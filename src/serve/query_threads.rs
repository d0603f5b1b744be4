//! Query threads: the few threads that evaluate the server's queries, away from the async threads.
//! A job is handed straight to one idle thread, and that thread alone is woken, after every lock is
//! released; when all are busy, jobs wait in arrival order and the next thread to finish takes the
//! oldest. Threads are started when first needed, up to the number asked for, and stop once the
//! pool is dropped and their work is done. It knows nothing of HTTP or SPARQL.
//!
//! Why not tokio's blocking pool: it wakes a thread while still holding the lock that thread takes
//! next, so on a busy core each query cost two more context switches than a direct hand-off
//! (BENCHMARKS, serve run 9).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::Thread;

/// A unit of work for a query thread.
type Job = Box<dyn FnOnce() + Send>;

/// A fixed-size set of threads running jobs handed to them with [`QueryThreads::run`].
pub struct QueryThreads {
    pool: Arc<Pool>,
}

struct Pool {
    /// The most threads ever started.
    limit: usize,
    queue: Mutex<Queue>,
}

#[derive(Default)]
struct Queue {
    /// Threads parked with nothing to do, the last to finish on top (its caches are warmest).
    idle: Vec<Arc<Slot>>,
    /// Jobs no thread was free for, oldest first.
    waiting: VecDeque<Job>,
    started: usize,
    closed: bool,
}

/// Where a job is left for one parked thread.
struct Slot {
    job: Mutex<Option<Job>>,
    thread: Thread,
}

/// Why a job could not be handed to a thread.
#[derive(Debug, thiserror::Error)]
#[error("cannot start a query thread: {0}")]
pub struct StartError(#[from] std::io::Error);

impl QueryThreads {
    /// A pool of at most `limit` threads (at least one); none is started yet.
    pub fn new(limit: usize) -> Self {
        Self {
            pool: Arc::new(Pool {
                limit: limit.max(1),
                queue: Mutex::new(Queue::default()),
            }),
        }
    }

    /// Runs `job` on an idle thread, on a new one while fewer than the limit are started, or else
    /// after the jobs already waiting. Fails, dropping `job`, when a new thread cannot be started.
    pub fn run(&self, job: impl FnOnce() + Send + 'static) -> Result<(), StartError> {
        let job: Job = Box::new(job);
        let mut queue = self.pool.lock();
        if let Some(slot) = queue.idle.pop() {
            drop(queue);
            *lock(&slot.job) = Some(job);
            slot.thread.unpark();
            return Ok(());
        }
        if queue.started < self.pool.limit {
            queue.started += 1;
            drop(queue);
            let pool = Arc::clone(&self.pool);
            let started = std::thread::Builder::new()
                .name("dealgraph-query".into())
                .spawn(move || pool.work(job));
            if let Err(error) = started {
                self.pool.lock().started -= 1;
                return Err(StartError(error));
            }
            return Ok(());
        }
        queue.waiting.push_back(job);
        Ok(())
    }
}

impl Drop for QueryThreads {
    /// Lets every thread stop once the jobs left are done.
    fn drop(&mut self) {
        let idle = {
            let mut queue = self.pool.lock();
            queue.closed = true;
            std::mem::take(&mut queue.idle)
        };
        for slot in idle {
            slot.thread.unpark();
        }
    }
}

impl Pool {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        lock(&self.queue)
    }

    /// A query thread's life: its first job, then waiting jobs or jobs handed to it while parked.
    fn work(&self, first: Job) {
        let slot = Arc::new(Slot {
            job: Mutex::new(None),
            thread: std::thread::current(),
        });
        let mut job = first;
        loop {
            // A job that panics has dropped what it would have answered with; the thread goes on.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            let mut queue = self.lock();
            if let Some(next) = queue.waiting.pop_front() {
                job = next;
                continue;
            }
            if queue.closed {
                return;
            }
            queue.idle.push(Arc::clone(&slot));
            drop(queue);
            job = loop {
                if let Some(handed) = lock(&slot.job).take() {
                    break handed;
                }
                if self.lock().closed {
                    return;
                }
                std::thread::park();
            };
        }
    }
}

/// A lock whose holder panicked is still usable: every critical section leaves the data whole.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    const PATIENCE: Duration = Duration::from_secs(10);

    /// Waits until `done` holds, failing after `PATIENCE`.
    fn wait_for(what: &str, done: impl Fn() -> bool) {
        let started = Instant::now();
        while !done() {
            assert!(started.elapsed() < PATIENCE, "timed out waiting: {what}");
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    #[test]
    fn jobs_beyond_the_limit_wait_and_run_oldest_first() {
        let threads = QueryThreads::new(2);
        let (release, released) = mpsc::channel::<()>();
        let released = Arc::new(Mutex::new(released));
        let (ran, order) = mpsc::channel();
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        for job in 0..6 {
            let (released, ran) = (Arc::clone(&released), ran.clone());
            let (running, most) = (Arc::clone(&running), Arc::clone(&most));
            threads
                .run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    ran.send(job).expect("send");
                    lock(&released).recv().expect("released");
                    running.fetch_sub(1, Ordering::SeqCst);
                })
                .expect("run");
        }
        // The first two run and hold both threads; the other four wait.
        let mut seen: Vec<i32> = (0..2).map(|_| order.recv().expect("job")).collect();
        seen.sort_unstable();
        assert_eq!(seen, [0, 1]);
        assert!(order.recv_timeout(Duration::from_millis(200)).is_err());
        assert_eq!(lock(&threads.pool.queue).waiting.len(), 4);
        assert_eq!(lock(&threads.pool.queue).started, 2);
        // Each release lets the oldest waiting job start.
        for next in 2..6 {
            release.send(()).expect("release");
            assert_eq!(order.recv_timeout(PATIENCE).expect("next job"), next);
        }
        for _ in 0..2 {
            release.send(()).expect("release");
        }
        wait_for("all jobs end", || running.load(Ordering::SeqCst) == 0);
        assert_eq!(
            most.load(Ordering::SeqCst),
            2,
            "never more than the limit at once"
        );
        wait_for("both threads idle", || {
            lock(&threads.pool.queue).idle.len() == 2
        });
    }

    #[test]
    fn an_idle_thread_takes_the_next_job_without_a_new_thread() {
        let threads = QueryThreads::new(4);
        for round in 0..20 {
            let (done, finished) = mpsc::channel();
            threads
                .run(move || done.send(round).expect("send"))
                .expect("run");
            assert_eq!(finished.recv_timeout(PATIENCE).expect("ran"), round);
            wait_for("the thread goes idle", || {
                lock(&threads.pool.queue).idle.len() == 1
            });
        }
        assert_eq!(lock(&threads.pool.queue).started, 1, "one thread did all");
    }

    #[test]
    fn a_panicking_job_leaves_its_thread_serving() {
        let threads = QueryThreads::new(1);
        let (done, finished) = mpsc::channel::<&str>();
        let dropped = done.clone();
        threads
            .run(move || {
                let _answer = dropped;
                panic!("a job that panics");
            })
            .expect("run");
        threads
            .run(move || done.send("after").expect("send"))
            .expect("run");
        assert_eq!(finished.recv_timeout(PATIENCE).expect("ran"), "after");
        assert_eq!(lock(&threads.pool.queue).started, 1);
    }

    #[test]
    fn threads_stop_once_the_pool_is_dropped_and_their_jobs_are_done() {
        let threads = QueryThreads::new(3);
        let pool = Arc::clone(&threads.pool);
        let (release, released) = mpsc::channel::<()>();
        let (done, finished) = mpsc::channel();
        threads
            .run(move || {
                released.recv().expect("released");
                done.send(()).expect("send");
            })
            .expect("run");
        for _ in 0..2 {
            threads.run(|| {}).expect("run");
        }
        // The second job always starts a thread; the third may reuse it once idle.
        wait_for("every thread but the busy one idle", || {
            let queue = lock(&pool.queue);
            queue.started >= 2 && queue.idle.len() + 1 == queue.started
        });
        drop(threads);
        // The busy thread still finishes its job after the drop.
        release.send(()).expect("release");
        finished.recv_timeout(PATIENCE).expect("the job ends");
        wait_for("every thread stops", || Arc::strong_count(&pool) == 1);
    }
}
