//! The rate limit: connection attempts are spaced at least `1 / rate` apart, over every
//! target and port of a run, however many tasks ask at once.

use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::{Instant, sleep_until};

#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl RateLimiter {
    pub fn new(per_second: f64) -> RateLimiter {
        RateLimiter {
            interval: Duration::from_secs_f64(1.0 / per_second),
            next: Mutex::new(None),
        }
    }

    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Waits for the next free slot and takes it. Slots are handed out under a lock, so
    /// two callers never get the same one.
    pub async fn acquire(&self) {
        let slot = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + self.interval);
            slot
        };
        sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn n_slots_take_at_least_n_minus_one_intervals() {
        let limiter = RateLimiter::new(50.0);
        let start = Instant::now();
        for _ in 0..5 {
            limiter.acquire().await;
        }
        // The fifth slot is four intervals after the first, which is no earlier than start.
        assert!(Instant::now() - start >= limiter.interval() * 4);
    }

    #[tokio::test]
    async fn concurrent_callers_get_distinct_slots() {
        let limiter = std::sync::Arc::new(RateLimiter::new(40.0));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..4 {
            let limiter = limiter.clone();
            tasks.push(tokio::spawn(async move { limiter.acquire().await }));
        }
        for task in tasks {
            task.await.expect("task");
        }
        assert!(Instant::now() - start >= limiter.interval() * 3);
    }
}
