use super::*;

/// The bridge entries these tests use, declared as a program declares its components.
const SOBEL: &str = entry_point!("sobel");
const FLIP: &str = entry_point!("flip");
const RESIZE: &str = entry_point!("resize");
const HISTOGRAM: &str = entry_point!("histogram");
const EQUALIZE: &str = entry_point!("equalize");
const GAUSSIAN_BLUR: &str = entry_point!("gaussian_blur");
const DECODE_PNG: &str = entry_point!("decode_png");
const ROTATE90: &str = entry_point!("rotate90");
const OTSU_LEVEL: &str = entry_point!("otsu_level");

/// A scenario with the entries above declared.
fn scenario() -> Scenario {
    for component in [
        "sobel",
        "flip",
        "resize",
        "histogram",
        "equalize",
        "gaussian_blur",
        "decode_png",
        "rotate90",
        "otsu_level",
    ] {
        declare_component(component).unwrap();
    }
    Scenario::setup()
}

#[test]
fn names_are_the_declared_entries_and_the_finer_points_each_once() {
    let _scenario = scenario();
    let names = names();
    for (i, name) in names.iter().enumerate() {
        assert!(name.starts_with("imgkit::"), "{name}");
        assert!(!names[..i].contains(name), "{name} twice");
    }
    for name in [
        GAUSSIAN_BLUR,
        DECODE_PNG,
        point::KERNELS_BAND,
        point::PNM_SAMPLES,
    ] {
        assert!(names.contains(&name), "{name}");
    }
    declare_component("sobel").unwrap();
    assert_eq!(
        super::names().len(),
        names.len(),
        "declaring again adds nothing"
    );
}

#[test]
fn only_component_names_can_be_declared() {
    for bad in [
        "",
        "Sobel",
        "9lives",
        "kernels::band",
        "sobel blur",
        "imgkit::sobel",
    ] {
        let error = declare_component(bad).unwrap_err();
        assert!(error.contains("not a component name"), "{bad}: {error}");
    }
}

#[test]
fn return_is_found_in_any_action_of_a_chain() {
    for actions in [
        "return",
        "return(x)",
        "2*return",
        "50%3*return(a(b))",
        "off->return",
    ] {
        assert!(has_return(actions), "{actions}");
    }
    for actions in [
        "off",
        "panic(return)",
        "sleep(5)",
        "1*panic->off",
        "returns",
    ] {
        assert!(!has_return(actions), "{actions}");
    }
}

#[cfg(not(feature = "failpoints"))]
mod compiled_out {
    use super::*;

    #[test]
    fn configure_says_the_build_has_none_and_the_gate_stays_closed() {
        let _scenario = scenario();
        let error = configure(SOBEL, "return").unwrap_err();
        assert!(error.contains("no failpoints"), "{error}");
        assert!(!armed());
        assert_eq!(injected(SOBEL), None);
    }

    #[test]
    fn the_macro_expands_to_nothing() {
        fn entry() -> u32 {
            failpoint!(SOBEL, |_| 1);
            failpoint!(point::KERNELS_BAND);
            0
        }
        assert_eq!(entry(), 0);
    }
}

#[cfg(feature = "failpoints")]
mod compiled_in {
    use std::panic::catch_unwind;
    use std::sync::atomic::AtomicUsize;
    use std::sync::{mpsc, Arc, Barrier};
    use std::thread;
    use std::time::Duration;

    use super::*;

    #[test]
    fn the_gate_is_closed_until_a_point_is_configured() {
        let _scenario = scenario();
        assert!(!armed());
        assert_eq!(injected(SOBEL), None);
        configure(SOBEL, "return").unwrap();
        assert!(armed());
        assert_eq!(injected(SOBEL), Some(Injection::Error(None)));
        assert_eq!(injected(FLIP), None, "another point is not configured");
        remove(SOBEL);
        assert!(!armed());
        assert_eq!(injected(SOBEL), None);
    }

    #[test]
    fn return_arguments_become_errors_or_corruption() {
        let _scenario = scenario();
        for (actions, expected) in [
            ("return", Injection::Error(None)),
            (
                "return(disk on fire)",
                Injection::Error(Some("disk on fire".into())),
            ),
            ("return(corrupt)", Injection::Corrupt),
            (
                "return(corrupted)",
                Injection::Error(Some("corrupted".into())),
            ),
        ] {
            configure(HISTOGRAM, actions).unwrap();
            assert_eq!(injected(HISTOGRAM), Some(expected), "{actions}");
        }
    }

    #[test]
    fn the_gate_stays_open_while_any_point_is_configured_even_off() {
        let _scenario = scenario();
        configure(SOBEL, "off").unwrap();
        configure(FLIP, "return").unwrap();
        remove(FLIP);
        assert!(armed(), "sobel, configured `off`, still counts");
        assert_eq!(injected(SOBEL), None);
        remove(FLIP);
        assert!(armed(), "removing a point twice changes nothing");
        remove(SOBEL);
        assert!(!armed());
    }

    #[test]
    fn counts_and_chains_run_as_in_fail_rs() {
        let _scenario = scenario();
        configure(RESIZE, "2*return").unwrap();
        let seen: Vec<_> = (0..3).map(|_| injected(RESIZE)).collect();
        assert_eq!(
            seen,
            [
                Some(Injection::Error(None)),
                Some(Injection::Error(None)),
                None
            ]
        );
        configure(RESIZE, "1*return(corrupt)->return(late)").unwrap();
        assert_eq!(injected(RESIZE), Some(Injection::Corrupt));
        assert_eq!(
            injected(RESIZE),
            Some(Injection::Error(Some("late".into())))
        );
    }

    #[test]
    fn unknown_names_are_refused_with_the_known_ones() {
        let _scenario = scenario();
        for unknown in ["imgkit::gausian_blur", "imgkit::never_declared"] {
            let error = configure(unknown, "return").unwrap_err();
            assert!(error.contains("unknown failpoint"), "{error}");
        }
        let error = configure("imgkit::gausian_blur", "return").unwrap_err();
        assert!(
            error.contains("unknown failpoint \"imgkit::gausian_blur\""),
            "{error}"
        );
        for name in names() {
            assert!(error.contains(name), "{error} lacks {name}");
        }
        assert!(!armed());
    }

    #[test]
    fn bad_actions_are_refused_with_fail_rs_reason_and_change_nothing() {
        let _scenario = scenario();
        configure(SOBEL, "return(first)").unwrap();
        let error = configure(SOBEL, "sometimes-maybe").unwrap_err();
        assert!(error.contains("\"sometimes-maybe\""), "{error}");
        assert!(error.contains("unrecognized command"), "{error}");
        assert_eq!(
            injected(SOBEL),
            Some(Injection::Error(Some("first".into())))
        );
        let error = configure(FLIP, "sleep").unwrap_err();
        assert!(error.contains("timeout"), "{error}");
        remove(SOBEL);
        assert!(!armed(), "a refused point is not configured");
    }

    #[test]
    fn plain_points_refuse_return() {
        let _scenario = scenario();
        for actions in ["return", "1*panic->return(x)"] {
            let error = configure(point::KERNELS_BAND, actions).unwrap_err();
            assert!(error.contains("no return value"), "{error}");
        }
        assert!(!armed());
        configure(point::KERNELS_BAND, "1*panic(band)->off").unwrap();
    }

    #[test]
    fn plain_macro_runs_panic_and_sleep_actions() {
        let _scenario = scenario();
        let band = || failpoint!(point::KERNELS_BAND);
        band();
        configure(point::KERNELS_BAND, "panic(band blew up)").unwrap();
        let payload = catch_unwind(band).unwrap_err();
        assert_eq!(payload.downcast_ref::<String>().unwrap(), "band blew up");
        assert_eq!(EVALUATING.with(Cell::get), None, "reset after the panic");
        // A sleep is taken (its count used up) and the point goes on; how long it holds
        // the thread is fail-rs's business, and no test times it.
        configure(point::KERNELS_BAND, "1*sleep(1)->panic(after the sleep)").unwrap();
        band();
        let payload = catch_unwind(band).unwrap_err();
        assert_eq!(payload.downcast_ref::<String>().unwrap(), "after the sleep");
    }

    #[test]
    fn plain_macro_panics_on_a_return_set_behind_its_back() {
        let _scenario = scenario();
        configure(SOBEL, "off").unwrap(); // opens the gate
        fail::cfg(point::PNM_SAMPLES, "return").unwrap();
        let payload = catch_unwind(|| failpoint!(point::PNM_SAMPLES)).unwrap_err();
        assert!(payload
            .downcast_ref::<String>()
            .unwrap()
            .contains("no return value"));
        fail::remove(point::PNM_SAMPLES);
    }

    #[test]
    fn returning_macro_forms_return_from_the_function() {
        fn entry(condition: bool) -> Result<u32, String> {
            failpoint!(EQUALIZE, condition, |arg: Option<String>| Err(
                arg.unwrap_or_default()
            ));
            failpoint!(SOBEL, |_| Ok(2));
            Ok(0)
        }
        let _scenario = scenario();
        assert_eq!(entry(true), Ok(0));
        configure(EQUALIZE, "return(no)").unwrap();
        assert_eq!(entry(false), Ok(0));
        assert_eq!(entry(true), Err("no".into()));
        configure(SOBEL, "return").unwrap();
        assert_eq!(entry(false), Ok(2));
    }

    #[test]
    fn a_point_configured_before_a_handoff_is_seen_by_the_other_thread() {
        let _scenario = scenario();
        let (checked, unconfigured) = mpsc::channel();
        let (configured, go) = mpsc::channel();
        let worker = thread::spawn(move || {
            checked.send(injected(FLIP)).unwrap();
            go.recv().unwrap();
            injected(FLIP)
        });
        assert_eq!(unconfigured.recv().unwrap(), None);
        configure(FLIP, "return(seen)").unwrap();
        configured.send(()).unwrap();
        assert_eq!(
            worker.join().unwrap(),
            Some(Injection::Error(Some("seen".into())))
        );
    }

    #[test]
    fn configuring_while_other_threads_evaluate_stays_consistent() {
        let _scenario = scenario();
        let stop = Arc::new(AtomicBool::new(false));
        let fired = Arc::new(AtomicUsize::new(0));
        let start = Arc::new(Barrier::new(3));
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (stop, fired, start) = (stop.clone(), fired.clone(), start.clone());
                thread::spawn(move || {
                    start.wait();
                    while !stop.load(Ordering::Relaxed) {
                        match injected(ROTATE90) {
                            Some(Injection::Error(arg)) => {
                                assert_eq!(arg.as_deref(), Some("x"));
                                fired.fetch_add(1, Ordering::Relaxed);
                            }
                            Some(Injection::Corrupt) => panic!("never configured"),
                            None => {}
                        }
                        assert_eq!(injected(OTSU_LEVEL), None);
                    }
                })
            })
            .collect();
        start.wait();
        for round in 0..2000 {
            configure(ROTATE90, "return(x)").unwrap();
            if round % 2 == 0 {
                configure(FLIP, "off").unwrap();
                remove(ROTATE90);
                remove(FLIP);
            } else {
                remove_all();
            }
            assert!(!armed());
        }
        stop.store(true, Ordering::Relaxed);
        for worker in workers {
            worker.join().unwrap();
        }
        assert!(!armed());
        assert_eq!(injected(ROTATE90), None);
    }

    #[test]
    fn a_scenario_starts_and_ends_with_nothing_configured() {
        let first = scenario();
        configure(SOBEL, "return").unwrap();
        configure(FLIP, "return").unwrap();
        drop(first);
        let _scenario = scenario();
        assert!(!armed());
        assert_eq!(injected(SOBEL), None);
        assert!(fail::list().is_empty(), "{:?}", fail::list());
    }

    #[test]
    fn a_paused_point_resumes_when_removed() {
        let _scenario = scenario();
        configure(point::PNG_ROWS, "pause").unwrap();
        let (done, finished) = mpsc::channel();
        let worker = thread::spawn(move || {
            failpoint!(point::PNG_ROWS);
            done.send(()).unwrap();
        });
        assert!(finished.recv_timeout(Duration::from_millis(100)).is_err());
        remove(point::PNG_ROWS);
        finished.recv_timeout(Duration::from_secs(10)).unwrap();
        worker.join().unwrap();
    }
}
