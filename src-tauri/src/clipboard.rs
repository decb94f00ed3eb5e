//! Copying a connection's key for the hand-over: the key goes from the keychain to the system
//! clipboard on the Rust side (it never crosses IPC to the webview), and the clipboard is
//! cleared after [`CLEAR_AFTER`] if it still holds that key. The clipboard and the timer are
//! injected, so a test proves the clear with a fake clock instead of waiting a minute.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use zeroize::Zeroizing;

/// How long a copied key stays on the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(60);

/// The system clipboard, as far as copying a key needs it.
pub trait Clipboard: Send + Sync {
    fn write(&self, text: &str) -> Result<(), String>;
    /// What the clipboard holds as text; `None` when it holds nothing readable.
    fn read(&self) -> Option<String>;
    fn clear(&self) -> Result<(), String>;
}

/// Runs a task once, after a delay, without blocking the caller.
pub trait Timer: Send + Sync {
    fn after(&self, delay: Duration, task: Box<dyn FnOnce() + Send>);
}

/// The clipboard with a key on it for a minute at most.
pub struct KeyClipboard {
    clipboard: Arc<dyn Clipboard>,
    timer: Arc<dyn Timer>,
    /// Counts copies, so an older copy's timer leaves a newer key alone.
    copies: Arc<AtomicU64>,
}

impl KeyClipboard {
    pub fn new(clipboard: Arc<dyn Clipboard>, timer: Arc<dyn Timer>) -> KeyClipboard {
        KeyClipboard {
            clipboard,
            timer,
            copies: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Puts `key` on the clipboard and clears it after [`CLEAR_AFTER`], unless by then the
    /// clipboard holds something else (the admin copied something since) or a newer key.
    pub fn copy_key(&self, key: &jc_api::ApiKey) -> Result<(), String> {
        let copied = Zeroizing::new(key.expose().to_owned());
        self.clipboard.write(&copied)?;
        let this_copy = self.copies.fetch_add(1, Ordering::SeqCst).wrapping_add(1);
        let copies = Arc::clone(&self.copies);
        let clipboard = Arc::clone(&self.clipboard);
        self.timer.after(
            CLEAR_AFTER,
            Box::new(move || {
                if copies.load(Ordering::SeqCst) != this_copy {
                    return;
                }
                let holds_it = clipboard
                    .read()
                    .map(Zeroizing::new)
                    .is_some_and(|now| *now == *copied);
                if holds_it {
                    if let Err(error) = clipboard.clear() {
                        tracing::warn!(%error, "the copied key could not be cleared from the clipboard");
                    }
                }
            }),
        );
        Ok(())
    }
}

/// The real timer: a task on the async runtime that sleeps, then runs.
pub struct RuntimeTimer;

impl Timer for RuntimeTimer {
    fn after(&self, delay: Duration, task: Box<dyn FnOnce() + Send>) {
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(delay).await;
            task();
        });
    }
}

/// The system clipboard, through the clipboard-manager plugin (used from Rust only).
pub struct SystemClipboard<R: tauri::Runtime>(pub tauri::AppHandle<R>);

impl<R: tauri::Runtime> Clipboard for SystemClipboard<R> {
    fn write(&self, text: &str) -> Result<(), String> {
        use tauri_plugin_clipboard_manager::ClipboardExt;
        self.0
            .clipboard()
            .write_text(text.to_owned())
            .map_err(|e| e.to_string())
    }

    fn read(&self) -> Option<String> {
        use tauri_plugin_clipboard_manager::ClipboardExt;
        self.0.clipboard().read_text().ok()
    }

    fn clear(&self) -> Result<(), String> {
        use tauri_plugin_clipboard_manager::ClipboardExt;
        self.0.clipboard().clear().map_err(|e| e.to_string())
    }
}

/// A clipboard in memory and a clock moved by hand: for tests.
pub mod fake {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    pub struct MemoryClipboard(Mutex<Option<String>>);

    impl MemoryClipboard {
        pub fn holds(&self) -> Option<String> {
            self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
        }
    }

    impl Clipboard for MemoryClipboard {
        fn write(&self, text: &str) -> Result<(), String> {
            *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(text.to_owned());
            Ok(())
        }

        fn read(&self) -> Option<String> {
            self.holds()
        }

        fn clear(&self) -> Result<(), String> {
            *self.0.lock().unwrap_or_else(|p| p.into_inner()) = None;
            Ok(())
        }
    }

    type Pending = (Duration, Box<dyn FnOnce() + Send>);

    /// Time stands still until [`FakeClock::advance`] moves it; tasks then due run at once.
    #[derive(Default)]
    pub struct FakeClock {
        now: Mutex<Duration>,
        pending: Mutex<Vec<Pending>>,
    }

    impl FakeClock {
        pub fn advance(&self, by: Duration) {
            let now = {
                let mut now = self.now.lock().unwrap_or_else(|p| p.into_inner());
                *now += by;
                *now
            };
            let due: Vec<Pending> = {
                let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
                let (due, later) = pending.drain(..).partition(|(at, _)| *at <= now);
                *pending = later;
                due
            };
            for (_, task) in due {
                task();
            }
        }
    }

    impl Timer for FakeClock {
        fn after(&self, delay: Duration, task: Box<dyn FnOnce() + Send>) {
            let at = *self.now.lock().unwrap_or_else(|p| p.into_inner()) + delay;
            self.pending
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push((at, task));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fake::{FakeClock, MemoryClipboard};
    use super::*;

    const KEY: &str = "jca_0123456789abcdef0123456789abcdef0123";

    fn setup() -> (Arc<MemoryClipboard>, Arc<FakeClock>, KeyClipboard) {
        let clipboard = Arc::new(MemoryClipboard::default());
        let clock = Arc::new(FakeClock::default());
        let keys = KeyClipboard::new(clipboard.clone(), clock.clone());
        (clipboard, clock, keys)
    }

    fn key(text: &str) -> jc_api::ApiKey {
        jc_api::ApiKey::parse(text).expect("a well-formed key")
    }

    #[test]
    fn a_copied_key_is_cleared_after_sixty_seconds_and_not_before() {
        let (clipboard, clock, keys) = setup();
        keys.copy_key(&key(KEY)).expect("copied");
        assert_eq!(
            clipboard.holds().as_deref(),
            Some(KEY),
            "the key is pasteable"
        );
        clock.advance(Duration::from_secs(59));
        assert_eq!(
            clipboard.holds().as_deref(),
            Some(KEY),
            "still there a second before the minute is up"
        );
        clock.advance(Duration::from_secs(1));
        assert_eq!(clipboard.holds(), None, "cleared once the minute is up");
    }

    #[test]
    fn something_copied_since_is_left_alone() {
        let (clipboard, clock, keys) = setup();
        keys.copy_key(&key(KEY)).expect("copied");
        clipboard.write("Production_Jumpcloud").expect("written");
        clock.advance(CLEAR_AFTER);
        assert_eq!(
            clipboard.holds().as_deref(),
            Some("Production_Jumpcloud"),
            "the admin's own copy is not the key: it stays"
        );
    }

    #[test]
    fn copying_again_restarts_the_minute() {
        let (clipboard, clock, keys) = setup();
        keys.copy_key(&key(KEY)).expect("copied");
        clock.advance(Duration::from_secs(30));
        keys.copy_key(&key(KEY)).expect("copied again");
        clock.advance(Duration::from_secs(30));
        assert_eq!(
            clipboard.holds().as_deref(),
            Some(KEY),
            "the first copy's timer does not cut the second copy's minute short"
        );
        clock.advance(Duration::from_secs(30));
        assert_eq!(clipboard.holds(), None, "the second copy's minute is up");
    }
}
