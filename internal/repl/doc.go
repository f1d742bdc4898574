// Package repl is the interactive loop that cassa's shells share (`cassa
// shell`, in the manner of cassandra-cli, and `cassa cqlsh`): a line
// editor on the terminal with history and tab completion (liner), the
// reading of statements that go on over several lines, and the handling
// of Ctrl-C and SIGTERM.
//
//	term := repl.Open(repl.HistoryPath(".cassa_history"), complete)
//	defer term.Close()
//	err := repl.Loop{Term: term, Prompt: prompt, Add: add, Run: run, Report: report}.Do(ctx)
//
// Ctrl-C at the prompt drops what was typed of the statement; while a
// statement runs it cancels that statement's context and the loop goes on.
// Ctrl-D (end of input) and SIGTERM end the loop. The shells decide what
// a complete statement is (Add), how to run it (Run) and how to show its
// errors (Report).
package repl
