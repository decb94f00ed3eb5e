//! Concurrency that adapts to the server (AIMD): start with a few requests in flight, add one
//! after a run of successes up to a cap, halve on a 429. One gate is shared by every category,
//! because the server's limit is per key, not per route.

use std::sync::{Mutex, PoisonError};

use tokio::sync::Notify;

/// Requests in flight when a collection starts.
pub const START_IN_FLIGHT: usize = 4;
/// Never more than this many requests in flight.
pub const MAX_IN_FLIGHT: usize = 16;
/// Successes in a row (at the current window) before the window grows by one.
const SUCCESSES_TO_GROW: usize = 8;

#[derive(Debug)]
struct State {
    window: usize,
    in_flight: usize,
    successes: usize,
    /// Bumped on every decrease, so a burst of 429s from one window halves it only once.
    epoch: u64,
    peak: usize,
}

#[derive(Debug)]
pub(crate) struct Gate {
    state: Mutex<State>,
    freed: Notify,
    cap: usize,
}

/// A slot in the window; returned to the gate on drop.
pub(crate) struct Slot<'g> {
    gate: &'g Gate,
    epoch: u64,
}

impl Gate {
    pub(crate) fn new(start: usize, cap: usize) -> Gate {
        let cap = cap.max(1);
        Gate {
            state: Mutex::new(State {
                window: start.clamp(1, cap),
                in_flight: 0,
                successes: 0,
                epoch: 0,
                peak: 0,
            }),
            freed: Notify::new(),
            cap,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for room in the window.
    pub(crate) async fn acquire(&self) -> Slot<'_> {
        loop {
            let notified = self.freed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let mut state = self.lock();
                if state.in_flight < state.window {
                    state.in_flight += 1;
                    state.peak = state.peak.max(state.in_flight);
                    return Slot {
                        gate: self,
                        epoch: state.epoch,
                    };
                }
            }
            notified.await;
        }
    }

    #[cfg(test)]
    pub(crate) fn window(&self) -> usize {
        self.lock().window
    }

    /// The most requests ever in flight at once.
    pub(crate) fn peak(&self) -> usize {
        self.lock().peak
    }
}

impl Slot<'_> {
    /// The request succeeded: after enough in a row, allow one more in flight.
    pub(crate) fn succeeded(&self) {
        let mut state = self.gate.lock();
        state.successes += 1;
        if state.successes >= SUCCESSES_TO_GROW.max(state.window) && state.window < self.gate.cap {
            state.window += 1;
            state.successes = 0;
            drop(state);
            self.gate.freed.notify_waiters();
        }
    }

    /// The server said "too many requests" or is failing: halve the window, once per window.
    pub(crate) fn throttled(&self) {
        let mut state = self.gate.lock();
        state.successes = 0;
        if self.epoch == state.epoch {
            state.window = (state.window / 2).max(1);
            state.epoch += 1;
        }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.gate.lock().in_flight -= 1;
        self.gate.freed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn window_grows_on_success_and_halves_once_per_burst_of_429s() {
        let gate = Gate::new(4, 16);
        for _ in 0..SUCCESSES_TO_GROW {
            gate.acquire().await.succeeded();
        }
        assert_eq!(gate.window(), 5, "a run of successes adds one slot");
        let a = gate.acquire().await;
        let b = gate.acquire().await;
        a.throttled();
        b.throttled();
        drop((a, b));
        assert_eq!(
            gate.window(),
            2,
            "two 429s from the same window halve it once"
        );
        gate.acquire().await.throttled();
        assert_eq!(
            gate.window(),
            1,
            "a later 429 halves again, never below one"
        );
    }
}
