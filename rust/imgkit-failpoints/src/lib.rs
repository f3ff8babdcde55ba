//! imgkit's named Rust failpoints: [fail-rs] behind a relaxed-atomic gate, so that a
//! point compiled in but not configured costs one load and a predictable branch.
//!
//! A plain `fail::fail_point!` takes fail-rs's global `RwLock` and looks its name up in a
//! map on every evaluation, configured or not: about 8 ns on one thread and about 100 ns
//! when two threads evaluate at once (they contend on the lock's counter). Here every
//! point first reads [`armed`], a static `AtomicBool` that is true only while at least
//! one point is configured through [`configure`]; until then nothing is written and no
//! cache line is shared between threads (`benches/gate.rs` measures all three cases).
//!
//! Two kinds of points: one at each bridge entry, [`entry_point!`]`("<component>")` =
//! `imgkit::<component>`, configurable once the program has declared the component
//! ([`declare_component`]: imgkit's C++ declares its whole catalog), and the finer ones
//! inside the kernels and codecs, listed in [`point`]. [`names`] returns them all.
//! Actions use fail-rs's syntax (`[p%][count*]task[(arg)]`, chained with `->`): `off`,
//! `return[(arg)]`, `sleep(ms)`, `delay(ms)`, `panic[(message)]`, `print[(message)]`,
//! `pause`, `yield`. At a bridge entry, evaluated with [`injected`], `return(corrupt)`
//! gives [`Injection::Corrupt`] and any other `return` gives [`Injection::Error`]; every
//! other action runs as in fail-rs. Points inside the kernels and codecs are plain
//! ([`failpoint!`]`(name)`): they take no `return`.
//!
//! Without the `failpoints` feature [`armed`] is the constant `false`, [`failpoint!`]
//! expands to nothing, [`injected`] returns `None` and [`configure`] refuses.
//!
//! ```
//! use imgkit_failpoints::{configure, entry_point, injected, remove, Injection, Scenario};
//!
//! const SOBEL: &str = entry_point!("sobel");
//!
//! // A bridge entry: fail, or succeed with a wrong answer, when its point says so.
//! fn sobel_entry(out: &mut [u8]) -> Result<(), String> {
//!     let corrupt = match injected(SOBEL) {
//!         None => false,
//!         Some(Injection::Error(message)) => return Err(message.unwrap_or_default()),
//!         Some(Injection::Corrupt) => true,
//!     };
//!     out.fill(7); // the real work
//!     if corrupt {
//!         out.iter_mut().for_each(|sample| *sample = !*sample);
//!     }
//!     Ok(())
//! }
//!
//! let _scenario = Scenario::setup(); // tests: one scenario at a time, all removed after
//! imgkit_failpoints::declare_component("sobel").unwrap(); // as the program's catalog does
//! let mut out = [0u8; 2];
//! if imgkit_failpoints::COMPILED_IN {
//!     configure(SOBEL, "1*return(disk on fire)->return(corrupt)").unwrap();
//!     assert!(imgkit_failpoints::armed());
//!     assert_eq!(sobel_entry(&mut out), Err("disk on fire".to_owned()));
//!     assert_eq!((sobel_entry(&mut out), out), (Ok(()), [248, 248]));
//!     remove(SOBEL);
//! } else {
//!     assert!(configure(SOBEL, "return").is_err());
//! }
//! assert!(!imgkit_failpoints::armed());
//! assert_eq!((sobel_entry(&mut out), out), (Ok(()), [7, 7]));
//! ```
//!
//! # The gate
//!
//! [`configure`] and [`remove`] keep the set of configured names under a mutex; the gate
//! is set after fail-rs has the point's actions and cleared, when the last point goes,
//! before fail-rs drops them. So a thread that sees the gate closed skips only points
//! that are not (or no longer) configured, and one that sees it open merely looks the
//! name up. The load is `Relaxed`: a point configured by another thread is seen once
//! that thread's `configure` happens-before the evaluation (a lock, a channel, a join),
//! and on no stronger promise. A point configured with only `off` still counts as
//! configured, and keeps the gate open until it is removed.
//!
//! # Panics
//!
//! The first [`configure`] chains a panic hook in front of the current one: a panic
//! raised by a failpoint's `panic` action prints one line, `imgkit-failpoints: injected
//! panic at failpoint NAME: MESSAGE`, instead of the usual report; every other panic goes
//! to the previous hook unchanged. No hook is installed in a process that never
//! configures a failpoint.
//!
//! [fail-rs]: https://docs.rs/fail

mod points;

use std::cell::Cell;
use std::io::Write;
use std::panic::PanicHookInfo;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, Once, PoisonError};

pub use points::{declare_component, point};

/// Whether this build has failpoints (the `failpoints` feature).
pub const COMPILED_IN: bool = cfg!(feature = "failpoints");

/// True while at least one failpoint is configured.
static ARMED: Gate = Gate(AtomicBool::new(false));

/// The gate on a cache line (and its prefetched pair) of its own: a write to a static
/// the linker happens to put next to it would otherwise make every point's load miss.
#[repr(align(128))]
struct Gate(AtomicBool);

/// The configured points, guarding every change to them and to [`ARMED`].
static CONFIGURED: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

/// Whether any failpoint is configured: one `Relaxed` load (the constant `false` without
/// the `failpoints` feature). Every point checks it before anything else.
#[inline]
pub fn armed() -> bool {
    COMPILED_IN && ARMED.0.load(Ordering::Relaxed)
}

/// What a bridge entry's failpoint asks of the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Injection {
    /// `return` or `return(arg)` (any `arg` but `corrupt`): fail, with `arg` as message.
    Error(Option<String>),
    /// `return(corrupt)`: succeed with a wrong answer.
    Corrupt,
}

/// Evaluates the bridge-entry point `name`: `None` when it is not configured or its
/// action did not return (after running it: a `sleep` has slept, a `panic` panics here).
#[inline]
pub fn injected(name: &'static str) -> Option<Injection> {
    if !armed() {
        return None;
    }
    __private::eval(name).map(|arg| match arg {
        Some(arg) if arg == "corrupt" => Injection::Corrupt,
        arg => Injection::Error(arg),
    })
}

/// A failpoint with fail-rs's `fail_point!` forms, gated by [`armed`]; nothing without
/// the `failpoints` feature.
///
/// * `failpoint!(name)`: runs the point's action; for points that return nothing (a
///   `return` action, which [`configure`] refuses for them, panics).
/// * `failpoint!(name, |arg: Option<String>| value)`: on a `return[(arg)]` action,
///   returns `value` from the enclosing function.
/// * `failpoint!(name, condition, |arg| value)`: the same, only when `condition` holds.
///
/// `name` is a `&'static str`: one of [`point`]'s, or an [`entry_point!`].
///
/// ```
/// fn band() {
///     imgkit_failpoints::failpoint!(imgkit_failpoints::point::KERNELS_BAND);
///     // ... the band's work
/// }
/// band();
/// ```
#[cfg(feature = "failpoints")]
#[macro_export]
macro_rules! failpoint {
    ($name:expr) => {{
        if $crate::armed() {
            $crate::__private::fire($name);
        }
    }};
    ($name:expr, $e:expr) => {{
        if $crate::armed() {
            if let ::core::option::Option::Some(value) = $crate::__private::eval($name).map($e) {
                return value;
            }
        }
    }};
    ($name:expr, $cond:expr, $e:expr) => {{
        if $cond {
            $crate::failpoint!($name, $e);
        }
    }};
}

/// A failpoint with fail-rs's `fail_point!` forms; this build has no failpoints, so it
/// expands to nothing.
#[cfg(not(feature = "failpoints"))]
#[macro_export]
macro_rules! failpoint {
    ($name:expr) => {{}};
    ($name:expr, $e:expr) => {{}};
    ($name:expr, $cond:expr, $e:expr) => {{}};
}

/// What [`failpoint!`] and [`injected`] call once the gate is open; not API.
#[doc(hidden)]
pub mod __private {
    use super::EVALUATING;

    /// fail-rs's evaluation of `name`: `Some(arg)` for a `return[(arg)]` action, `None`
    /// otherwise (after running the action). A panic it raises is marked as injected for
    /// the panic hook.
    #[cold]
    #[inline(never)]
    pub fn eval(name: &'static str) -> Option<Option<String>> {
        struct Restore(Option<&'static str>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let _ = EVALUATING.try_with(|evaluating| evaluating.set(self.0));
            }
        }
        let _restore = Restore(
            EVALUATING
                .try_with(|evaluating| evaluating.replace(Some(name)))
                .ok()
                .flatten(),
        );
        fail::eval(name, |arg| arg)
    }

    /// A point with no return value: runs its action; `return` has nothing to give back.
    #[cold]
    #[inline(never)]
    pub fn fire(name: &'static str) {
        if eval(name).is_some() {
            panic!("failpoint {name} has no return value: `return` is not supported here");
        }
    }
}

thread_local! {
    /// The failpoint this thread is evaluating, if any: its panics are injected ones.
    static EVALUATING: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// Configures failpoint `name` with fail-rs `actions` (replacing any it had).
///
/// Errors, with a message for people: this build has no failpoints; `name` is not one of
/// [`names`] (the message lists them; an entry point is one once its component is
/// declared); `actions` do not parse (fail-rs's reason); a `return` action for a point
/// that returns nothing (those inside kernels and codecs).
pub fn configure(name: &str, actions: &str) -> Result<(), String> {
    if !COMPILED_IN {
        return Err(format!(
            "failpoint {name}: this build has no failpoints (feature `failpoints` off)"
        ));
    }
    let point = points::find(name).ok_or_else(|| {
        format!(
            "unknown failpoint {name:?}; the known ones are: {}",
            names().join(", ")
        )
    })?;
    if !point.returns && has_return(actions) {
        return Err(format!(
            "failpoint {name}: bad actions {actions:?}: it has no return value, so `return` \
             is not supported (panic, sleep, delay, pause, yield, print and off are)"
        ));
    }
    let mut configured = lock(&CONFIGURED);
    fail::cfg(point.name, actions)
        .map_err(|reason| format!("failpoint {name}: bad actions {actions:?}: {reason}"))?;
    if !configured.contains(&point.name) {
        configured.push(point.name);
    }
    ARMED.0.store(true, Ordering::Relaxed);
    drop(configured);
    install_panic_hook();
    Ok(())
}

/// Removes failpoint `name`'s actions; a no-op for a name not configured. A thread
/// paused at the point resumes.
pub fn remove(name: &str) {
    let mut configured = lock(&CONFIGURED);
    configured.retain(|configured| *configured != name);
    if configured.is_empty() {
        ARMED.0.store(false, Ordering::Relaxed);
    }
    fail::remove(name);
}

/// Removes every failpoint; [`armed`] is false afterwards.
pub fn remove_all() {
    let mut configured = lock(&CONFIGURED);
    ARMED.0.store(false, Ordering::Relaxed);
    for name in configured.drain(..) {
        fail::remove(name);
    }
}

/// Every Rust failpoint's name: the entry points of the declared components, then the
/// finer points (see [`point`] for where each fires), whether or not this build has
/// failpoints.
pub fn names() -> Vec<&'static str> {
    points::names()
}

/// Serialises the tests of one process that configure failpoints, like fail-rs's
/// `FailScenario`: [`Scenario::setup`] waits for the previous scenario to end and starts
/// with no point configured; dropping it removes every point.
///
/// ```
/// let scenario = imgkit_failpoints::Scenario::setup();
/// // configure, call, check ...
/// drop(scenario); // every point removed
/// assert!(!imgkit_failpoints::armed());
/// ```
#[derive(Debug)]
pub struct Scenario {
    _serial: MutexGuard<'static, ()>,
}

impl Scenario {
    /// Waits for any other scenario of this process to end, then removes every point.
    pub fn setup() -> Self {
        static SERIAL: Mutex<()> = Mutex::new(());
        let serial = lock(&SERIAL);
        remove_all();
        Scenario { _serial: serial }
    }
}

impl Drop for Scenario {
    fn drop(&mut self) {
        remove_all();
    }
}

/// Locks `mutex`, ignoring poisoning: its data stays consistent at every step.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Whether any action of a fail-rs action string has the task `return`.
fn has_return(actions: &str) -> bool {
    actions.split("->").any(|action| {
        let head = action.split('(').next().unwrap_or_default();
        head.rsplit(['%', '*']).next().unwrap_or_default().trim() == "return"
    })
}

/// Chains, once, a panic hook that reports injected panics in one line (module docs).
fn install_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            match EVALUATING.try_with(Cell::get).ok().flatten() {
                // A write error is ignored, as the default hook does: a panic in a hook
                // aborts.
                Some(name) => {
                    let _ = writeln!(
                        std::io::stderr().lock(),
                        "imgkit-failpoints: injected panic at failpoint {name}: {}",
                        payload_text(info)
                    );
                }
                None => previous(info),
            }
        }));
    });
}

fn payload_text<'a>(info: &'a PanicHookInfo<'_>) -> &'a str {
    if let Some(text) = info.payload().downcast_ref::<&'static str>() {
        text
    } else if let Some(text) = info.payload().downcast_ref::<String>() {
        text
    } else {
        "non-string panic payload"
    }
}

#[cfg(test)]
mod tests;
