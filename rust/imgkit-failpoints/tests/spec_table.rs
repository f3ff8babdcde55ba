//! The shared table of failpoint action lists (`tests/data/failpoint_specs.txt`), given
//! to fail-rs, the reference: every line must get the table's verdict, and a refusal the
//! table's reason. The C++ parser is held to the same table by
//! `tests/failpoints/spec_table_test.cpp`, so the two languages cannot drift apart.

const TABLE: &str = include_str!("../../../tests/data/failpoint_specs.txt");

/// A name no code evaluates, so configuring it changes nothing but the registry.
const SCRATCH: &str = "imgkit::spec_table::scratch";

#[derive(Debug)]
struct Line {
    number: usize,
    accept: bool,
    actions: String,
    /// The canonical form (accepted) or the reason (refused).
    expected: String,
}

/// Reads a quoted string up to its closing quote, with `\"`, `\\`, `\t`, `\n`, `\r`,
/// `\v`, `\f` and `\u{hex}`; returns it and what follows the quote.
fn unescape(quoted: &str) -> Result<(String, &str), String> {
    let mut text = String::new();
    let mut rest = quoted;
    loop {
        let mut chars = rest.chars();
        let c = chars.next().ok_or("unclosed quote")?;
        rest = chars.as_str();
        match c {
            '"' => return Ok((text, rest)),
            '\\' => {
                let mut chars = rest.chars();
                let escape = chars.next().ok_or("unclosed quote")?;
                rest = chars.as_str();
                match escape {
                    '"' => text.push('"'),
                    '\\' => text.push('\\'),
                    't' => text.push('\t'),
                    'n' => text.push('\n'),
                    'r' => text.push('\r'),
                    'v' => text.push('\u{b}'),
                    'f' => text.push('\u{c}'),
                    'u' => {
                        let (hex, after) = rest
                            .strip_prefix('{')
                            .and_then(|r| r.split_once('}'))
                            .ok_or("\\u without {hex}")?;
                        let code = u32::from_str_radix(hex, 16).map_err(|e| e.to_string())?;
                        text.push(char::from_u32(code).ok_or("\\u{} of no character")?);
                        rest = after;
                    }
                    other => return Err(format!("unknown escape \\{other}")),
                }
            }
            c => text.push(c),
        }
    }
}

fn parse_line(number: usize, line: &str) -> Result<Line, String> {
    let (verdict, rest) = line.split_once(' ').ok_or("no verdict")?;
    let accept = match verdict {
        "accept" => true,
        "reject" => false,
        _ => return Err(format!("verdict {verdict:?}")),
    };
    let quoted = rest
        .trim_start()
        .strip_prefix('"')
        .ok_or("actions not quoted")?;
    let (actions, rest) = unescape(quoted)?;
    Ok(Line {
        number,
        accept,
        actions,
        expected: rest.trim().to_owned(),
    })
}

fn table() -> Vec<Line> {
    TABLE
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(i, line)| parse_line(i + 1, line).unwrap_or_else(|e| panic!("line {}: {e}", i + 1)))
        .collect()
}

/// The reason a refusal gives, in the table's words, from fail-rs's message.
fn reason(message: &str) -> &'static str {
    if message.starts_with("parentheses do not match") {
        "parentheses"
    } else if message.starts_with("failed to parse frequency") {
        "frequency"
    } else if message.starts_with("failed to parse count") {
        "count"
    } else if message == "sleep require timeout" || message.starts_with("failed to parse timeout") {
        "timeout"
    } else if message.starts_with("unrecognized command") {
        "task"
    } else {
        "an unknown reason"
    }
}

#[test]
fn fail_rs_gives_every_line_its_verdict() {
    let _scenario = imgkit_failpoints::Scenario::setup();
    let lines = table();
    assert!(lines.len() > 100, "the table has {} lines", lines.len());
    let mut wrong = Vec::new();
    for line in &lines {
        let verdict = fail::cfg(SCRATCH, &line.actions);
        fail::remove(SCRATCH);
        let Line {
            number, actions, ..
        } = line;
        match (line.accept, verdict) {
            (true, Ok(())) => {}
            (false, Err(message)) if reason(&message) == line.expected => {}
            (true, Err(message)) => {
                wrong.push(format!("line {number}: {actions:?} refused ({message})"));
            }
            (false, Ok(())) => wrong.push(format!("line {number}: {actions:?} accepted")),
            (false, Err(message)) => wrong.push(format!(
                "line {number}: {actions:?} refused for {} ({message}), not {}",
                reason(&message),
                line.expected
            )),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_table_reader_reads_escapes_and_refuses_a_broken_line() {
    let line = parse_line(1, r#"accept "a\"\\\t\u{a0}b"   x -> y"#).unwrap();
    assert_eq!(line.actions, "a\"\\\t\u{a0}b");
    assert_eq!(line.expected, "x -> y");
    assert!(line.accept);
    assert!(parse_line(1, r#"accept "open"#).is_err());
    assert!(parse_line(1, r#"maybe "x""#).is_err());
    assert!(parse_line(1, r#"reject "\u{110000}""#).is_err());
}
