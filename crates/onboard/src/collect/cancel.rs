//! Stopping a collection at any moment while keeping what was already fetched.

use std::sync::Arc;

use tokio::sync::watch;

/// A cheap, clonable "stop now" signal. Every clone sees the same cancellation.
#[derive(Debug, Clone)]
pub struct CancelToken {
    sender: Arc<watch::Sender<bool>>,
}

impl Default for CancelToken {
    fn default() -> Self {
        CancelToken::new()
    }
}

impl CancelToken {
    pub fn new() -> CancelToken {
        let (sender, _) = watch::channel(false);
        CancelToken {
            sender: Arc::new(sender),
        }
    }

    pub fn cancel(&self) {
        self.sender.send_replace(true);
    }

    pub fn is_cancelled(&self) -> bool {
        *self.sender.borrow()
    }

    /// Resolves once [`CancelToken::cancel`] has been called (at once if it already was).
    pub async fn cancelled(&self) {
        let mut receiver = self.sender.subscribe();
        // The sender lives in `self`, so `wait_for` can only end by seeing `true`.
        let _ = receiver.wait_for(|cancelled| *cancelled).await;
    }
}
