//! The README's example queries give exactly the output the README shows; `UPDATE_EXPECT=1` rewrites
//! the README's output blocks from the real output instead.

mod common;

use common::{dealgraph, root, stderr, stdout};

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
