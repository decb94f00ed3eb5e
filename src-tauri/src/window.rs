//! The main window as a desktop program's: one instance, a remembered size and place that stay
//! on a screen that exists, and no close that silently throws away a running collection.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, PhysicalPosition, PhysicalSize, Runtime, Window, WindowEvent};
use tauri_plugin_window_state::StateFlags;

use crate::state::AppState;

/// The window the config creates (and the capability names).
pub const MAIN: &str = "main";

/// What the window remembers between runs: not visibility or decorations, which are ours.
pub fn remembered() -> StateFlags {
    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED
}

/// A second launch handed over to this one: bring the running window forward.
pub fn bring_forward<R: Runtime>(app: &AppHandle<R>) {
    tracing::info!("the app was opened again: bringing its window forward");
    if let Some(window) = app.get_webview_window(MAIN) {
        let shown = window
            .unminimize()
            .and_then(|()| window.show())
            .and_then(|()| window.set_focus());
        if let Err(error) = shown {
            tracing::warn!(%error, "the window could not be brought forward");
        }
    }
}

/// A rectangle on the desktop, in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x: i64,
    pub y: i64,
    pub width: u64,
    pub height: u64,
}

/// The window moved and shrunk just enough to lie within `area` (a screen's work area): a size
/// remembered on a larger screen, or a place on a screen since unplugged, stays reachable.
pub fn clamp_into(window: Rect, area: Rect) -> Rect {
    let width = window.width.min(area.width);
    let height = window.height.min(area.height);
    let fit = |start: i64, length: u64, area_start: i64, area_length: u64| {
        let spare = i64::try_from(area_length.saturating_sub(length)).unwrap_or(i64::MAX);
        start.clamp(area_start, area_start.saturating_add(spare))
    };
    Rect {
        x: fit(window.x, width, area.x, area.width),
        y: fit(window.y, height, area.y, area.height),
        width,
        height,
    }
}

/// After the window-state plugin restored the last size and place: keep them on the screen the
/// window is on (or the primary screen, if it is on none). Called as the desktop places the
/// window at start-up: before that, it has no size to check.
pub fn keep_on_screen<R: Runtime>(window: &Window<R>) {
    if window.is_maximized().unwrap_or(false) {
        return;
    }
    let monitor = match window.current_monitor() {
        Ok(Some(monitor)) => Some(monitor),
        _ => window.primary_monitor().ok().flatten(),
    };
    let (Some(monitor), Ok(position), Ok(outer), Ok(inner)) = (
        monitor,
        window.outer_position(),
        window.outer_size(),
        window.inner_size(),
    ) else {
        tracing::debug!("no screen or window geometry to check the window's place against");
        return;
    };
    let area = monitor.work_area();
    let area = Rect {
        x: i64::from(area.position.x),
        y: i64::from(area.position.y),
        width: u64::from(area.size.width),
        height: u64::from(area.size.height),
    };
    let now = Rect {
        x: i64::from(position.x),
        y: i64::from(position.y),
        width: u64::from(outer.width),
        height: u64::from(outer.height),
    };
    let fitted = clamp_into(now, area);
    tracing::debug!(?now, ?area, "the window's place on its screen");
    if fitted == now {
        return;
    }
    tracing::info!(
        ?now,
        ?area,
        "the remembered window did not fit its screen: moved into it"
    );
    // The frame around the page (title bar, borders) keeps its size; the page gives way.
    let frame_w = u64::from(outer.width.saturating_sub(inner.width));
    let frame_h = u64::from(outer.height.saturating_sub(inner.height));
    let to_u32 = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    let to_i32 = |v: i64| i32::try_from(v).unwrap_or(0);
    // Only what changed: a size or place still on its way from the window-state plugin is
    // not overwritten with an interim one.
    let resized = (fitted.width, fitted.height) != (now.width, now.height);
    let moved = (fitted.x, fitted.y) != (now.x, now.y);
    let size = PhysicalSize::new(
        to_u32(fitted.width.saturating_sub(frame_w)),
        to_u32(fitted.height.saturating_sub(frame_h)),
    );
    let place = PhysicalPosition::new(to_i32(fitted.x), to_i32(fitted.y));
    let done = match (resized, moved) {
        (true, true) => window
            .set_size(size)
            .and_then(|()| window.set_position(place)),
        (true, false) => window.set_size(size),
        _ => window.set_position(place),
    };
    if let Err(error) = done {
        tracing::warn!(%error, "the window could not be moved onto its screen");
    }
}

/// Sent to the screens when the window is closed while a collection runs: they ask the person
/// whether to stop it, and answer with the `resolve_close` command.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CloseWhileCollecting;

/// Whether the screens are asking about a close right now, where to ask them, and how the app
/// quits.
pub struct CloseGuard {
    asking: AtomicBool,
    screens: Mutex<Option<Channel<CloseWhileCollecting>>>,
    quit: Box<dyn Fn() + Send + Sync>,
}

impl CloseGuard {
    pub fn new(quit: impl Fn() + Send + Sync + 'static) -> CloseGuard {
        CloseGuard {
            asking: AtomicBool::new(false),
            screens: Mutex::new(None),
            quit: Box::new(quit),
        }
    }

    /// The screens listen for the question here (a reloaded page replaces the old listener).
    pub fn watch(&self, screens: Channel<CloseWhileCollecting>) {
        *self.screens.lock().unwrap_or_else(PoisonError::into_inner) = Some(screens);
    }

    /// Whether a close request should be held back to ask first. Closing again while the
    /// question is open closes: a screen that cannot answer never traps the person.
    fn hold(&self, collecting: bool) -> bool {
        collecting && !self.asking.swap(true, Ordering::SeqCst)
    }

    /// Puts the question to the screens; false when no screen listens (the window then closes).
    fn ask(&self) -> bool {
        let screens = self.screens.lock().unwrap_or_else(PoisonError::into_inner);
        let asked = screens
            .as_ref()
            .is_some_and(|screens| screens.send(CloseWhileCollecting).is_ok());
        if !asked {
            self.answered();
        }
        asked
    }

    fn answered(&self) {
        self.asking.store(false, Ordering::SeqCst);
    }

    /// The screens' answer: stop the collection and quit (its folder is removed on the way
    /// out), or keep collecting.
    pub async fn resolve(&self, state: &AppState, close: bool) {
        self.answered();
        if !close {
            return;
        }
        tracing::info!("closing during a collection: stopping it first");
        state.cancel_collection();
        // A cancelled collection ends within a request or two; its folder goes with the app.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while state.collection_running() && std::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        (self.quit)();
    }
}

/// Whether the window is still being placed (restored size and place arrive as separate
/// moves and resizes): until its page has loaded, each one is checked against the screen.
/// After that, where the person puts the window is their business.
#[derive(Default)]
pub struct Placement {
    settled: AtomicBool,
}

impl Placement {
    pub fn settle(&self) {
        self.settled.store(true, Ordering::SeqCst);
    }
}

pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if let WindowEvent::Resized(_) | WindowEvent::Moved(_) = event {
        let placing = window
            .try_state::<Placement>()
            .is_some_and(|placement| !placement.settled.load(Ordering::SeqCst));
        if placing {
            keep_on_screen(window);
        }
        return;
    }
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    let collecting = window
        .try_state::<AppState>()
        .is_some_and(|state| state.collection_running());
    tracing::debug!(collecting, "the window was asked to close");
    let Some(guard) = window.try_state::<CloseGuard>() else {
        return;
    };
    if guard.hold(collecting) {
        if guard.ask() {
            api.prevent_close();
            tracing::info!("the window was closed during a collection: asking first");
        } else {
            tracing::warn!("no screen to ask whether to stop the collection: closing");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCREEN: Rect = Rect {
        x: 0,
        y: 0,
        width: 1280,
        height: 800,
    };

    #[test]
    fn a_window_that_fits_stays_where_it_is() {
        let window = Rect {
            x: 40,
            y: 30,
            width: 1100,
            height: 760,
        };
        assert_eq!(clamp_into(window, SCREEN), window, "nothing to correct");
    }

    #[test]
    fn a_size_from_a_larger_screen_shrinks_to_this_one() {
        let window = Rect {
            x: 100,
            y: 100,
            width: 2500,
            height: 1400,
        };
        assert_eq!(
            clamp_into(window, SCREEN),
            SCREEN,
            "as large as the screen, and moved onto it"
        );
    }

    #[test]
    fn a_window_hanging_off_an_edge_moves_back() {
        let right = Rect {
            x: 900,
            y: 500,
            width: 1100,
            height: 760,
        };
        assert_eq!(
            clamp_into(right, SCREEN),
            Rect {
                x: 180,
                y: 40,
                ..right
            },
            "its far edges meet the screen's"
        );
        let left = Rect {
            x: -3000,
            y: -20,
            ..right
        };
        assert_eq!(
            clamp_into(left, SCREEN),
            Rect {
                x: 0,
                y: 0,
                ..right
            },
            "a place on an unplugged screen to the left comes back"
        );
    }

    #[test]
    fn a_second_screen_has_its_own_origin() {
        let second = Rect {
            x: 1920,
            y: 0,
            width: 1280,
            height: 1024,
        };
        let window = Rect {
            x: 3000,
            y: 600,
            width: 1100,
            height: 760,
        };
        assert_eq!(
            clamp_into(window, second),
            Rect {
                x: 2100,
                y: 264,
                ..window
            }
        );
    }

    #[test]
    fn a_close_with_no_screen_listening_is_not_held() {
        let guard = CloseGuard::new(|| {});
        assert!(guard.hold(true), "a collection runs: ask first");
        assert!(!guard.ask(), "no screen listens, so nobody can be asked");
        assert!(
            guard.hold(true),
            "the question was never open: the next close during a collection asks again"
        );
    }

    #[test]
    fn a_close_during_a_collection_asks_once() {
        let guard = CloseGuard::new(|| {});
        assert!(!guard.hold(false), "no collection: the window just closes");
        assert!(guard.hold(true), "a collection runs: ask first");
        assert!(
            !guard.hold(true),
            "closing again while asked closes, so an unanswered question never traps anyone"
        );
        guard.answered();
        assert!(
            guard.hold(true),
            "after \"keep collecting\", the next close asks again"
        );
    }
}
