//! The README's example queries give exactly the output the README shows; `UPDATE_EXPECT=1` rewrites
//! the README's output blocks from the real output instead.

mod common;

use common::{dealgraph, root, stderr, stdout};

/// The lines of the first output block that starts with `first`.
fn block_starting(readme: &str, first: &str) -> Vec<String> {
    let lines: Vec<&str> = readme.lines().collect();
    let start = (1..lines.len())
        .find(|&i| lines[i - 1] == "```text" && lines[i].starts_with(first))
        .unwrap_or_else(|| panic!("README shows a block starting {first:?}"));
    lines[start..]
        .iter()
        .take_while(|line| **line != "```")
        .map(|line| line.to_string())
        .collect()
}

/// The time in "built 5 documents in 0.09 s", which differs from run to run.
fn without_time(line: &str) -> String {
    match line.split_once(" in ") {
        Some((before, after)) if after.ends_with(" s") => format!("{before} in … s"),
        _ => line.to_string(),
    }
}

#[test]
fn readme_build_summary_and_push_line_are_what_the_commands_print() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let shown = block_starting(&readme, "built ");
    let output = dealgraph(&root(), &["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let printed: Vec<String> = stdout(&output).lines().map(without_time).collect();
    let shown: Vec<String> = shown.iter().map(|line| without_time(line)).collect();
    assert_eq!(printed, shown, "README's build summary");
    // The push example sends every quad the summary counts, a PUT per named graph.
    let quads = printed
        .iter()
        .find_map(|line| line.trim().strip_prefix("quads"))
        .expect("a quads line")
        .trim()
        .to_string();
    let graphs = common::count(
        &root(),
        &["SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"],
    );
    let push_line = readme
        .lines()
        .find(|line| line.starts_with("# pushed "))
        .expect("README shows what push prints");
    assert!(
        push_line.starts_with(&format!(
            "# pushed {graphs} graphs ({graphs} by PUT, 0 by SPARQL Update), {quads} triples, "
        )),
        "{push_line} (the seeds give {graphs} graphs and {quads} quads)"
    );
}

#[test]
fn readme_examples_show_their_real_output() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let lines: Vec<&str> = readme.lines().collect();
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut rewritten: Vec<String> = Vec::new();
    let mut copied_until = 0;
    let mut checked = 0;
    let mut index = 0;
    while index < lines.len() {
        let Some(arguments) = lines[index].strip_prefix("cargo run --release -- query ") else {
            index += 1;
            continue;
        };
        let start = (index..lines.len())
            .find(|&i| lines[i] == "```text")
            .expect("an output block after the command")
            + 1;
        let end = (start..lines.len())
            .find(|&i| lines[i] == "```")
            .expect("the output block ends");
        let expected = lines[start..end].join("\n") + "\n";
        let mut args = vec!["query"];
        args.extend(arguments.split_whitespace());
        let output = dealgraph(&root(), &args);
        assert!(output.status.success(), "{}", stderr(&output));
        if update {
            rewritten.extend(lines[copied_until..start].iter().map(|l| l.to_string()));
            rewritten.extend(stdout(&output).lines().map(str::to_string));
            copied_until = end;
        } else {
            assert_eq!(
                stdout(&output),
                expected,
                "README block for `{arguments}` (UPDATE_EXPECT=1 rewrites it)"
            );
        }
        checked += 1;
        index = end;
    }
    assert_eq!(checked, 6);
    if update {
        rewritten.extend(lines[copied_until..].iter().map(|l| l.to_string()));
        std::fs::write(root().join("README.md"), rewritten.join("\n") + "\n")
            .expect("README.md written");
    }
}
