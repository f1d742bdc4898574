package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cassa-go/cassa/internal/repl"
)

// HistoryFile is the name of the history file in the user's home directory.
const HistoryFile = ".cassa_history"

// Banner writes pycassaShell's greeting: the title between lines of
// dashes, the keyspace and host, and the column families at hand.
func (s *Shell) Banner(w io.Writer) {
	dashes := strings.Repeat("-", 40)
	fmt.Fprintln(w, dashes)
	fmt.Fprintln(w, "Cassandra Interactive Shell (cassa)")
	fmt.Fprintln(w, dashes)
	ks := s.keyspace
	if ks == "" {
		ks = "(none)"
	}
	fmt.Fprintf(w, "Keyspace: %s\n", ks)
	host := s.Server()
	if host == "" {
		host = "(not connected)"
	}
	fmt.Fprintf(w, "Host: %s\n", host)
	fmt.Fprintln(w)
	if s.keyspace == "" {
		fmt.Fprintln(w, "No keyspace selected: 'use KEYSPACE' or start with --keyspace to work with column families.")
	} else {
		names := s.CFNames()
		if len(names) == 0 {
			fmt.Fprintln(w, "The keyspace has no column families yet.")
		} else {
			fmt.Fprintln(w, "Available column families:")
			for _, n := range names {
				fmt.Fprintf(w, " * %s\n", n)
			}
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Type 'help;' for the commands, Tab to complete, 'quit;' to leave.")
}

// HistoryPath returns ~/.cassa_history, or "" when there is no home
// directory (history is then not kept).
func HistoryPath() string { return repl.HistoryPath(HistoryFile) }

// RunInteractive reads commands from the terminal with line editing,
// history (kept in historyPath unless it is empty) and tab completion,
// printing errors to errOut, until quit, end of input (Ctrl-D) or SIGTERM
// (seen once the current command or line ends). Ctrl-C at the prompt drops
// the line; while a command runs it cancels that command and returns to
// the prompt. It fails only when the terminal cannot be used; history
// problems are ignored. The line editor drives os.Stdin and os.Stdout.
func (s *Shell) RunInteractive(ctx context.Context, historyPath string, errOut io.Writer) error {
	term := repl.Open(historyPath, s.Complete)
	defer term.Close()
	return repl.Loop{
		Term: term,
		Prompt: func(open bool) string {
			prompt := s.Prompt()
			if open {
				prompt = strings.Repeat(" ", max(len(prompt)-5, 0)) + "...> "
			}
			return prompt
		},
		Add: func(sofar, line string) (string, bool) {
			if sofar != "" {
				line = sofar + " " + strings.TrimSpace(line)
			} else if skipLine(line) {
				return "", false
			}
			return line, !Incomplete(line)
		},
		Run: func(ctx context.Context, text string) (bool, error) {
			err := s.Exec(ctx, text)
			if errors.Is(err, ErrQuit) {
				return true, nil
			}
			return false, err
		},
		Report:      func(err error, text string) { fmt.Fprintln(errOut, FormatLineError(err, text)) },
		Interrupted: func() { fmt.Fprintln(errOut, "interrupted") },
		EndOfInput:  func(string) { fmt.Fprintln(s.out) }, // leave the prompt's line
	}.Do(ctx)
}
