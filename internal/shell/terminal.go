package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/peterh/liner"
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
func HistoryPath() string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ""
	}
	return filepath.Join(home, HistoryFile)
}

// RunInteractive reads commands from the terminal with line editing,
// history (kept in historyPath unless it is empty) and tab completion,
// printing errors to errOut, until quit, end of input (Ctrl-D) or ctx is
// done. It fails only when the terminal cannot be used; history problems
// are ignored. liner drives os.Stdin and os.Stdout.
func (s *Shell) RunInteractive(ctx context.Context, historyPath string, errOut io.Writer) error {
	line := liner.NewLiner()
	defer line.Close()
	line.SetCtrlCAborts(true)
	line.SetTabCompletionStyle(liner.TabPrints)
	line.SetWordCompleter(func(l string, pos int) (string, []string, string) {
		return s.Complete(l, pos)
	})
	if historyPath != "" {
		if f, err := os.Open(historyPath); err == nil {
			_, _ = line.ReadHistory(f)
			_ = f.Close()
		}
		defer saveHistory(line, historyPath)
	}
	for ctx.Err() == nil {
		text, err := line.Prompt(s.Prompt())
		switch {
		case errors.Is(err, liner.ErrPromptAborted):
			continue // Ctrl-C drops the line, as in a shell
		case errors.Is(err, io.EOF):
			fmt.Fprintln(s.out)
			return nil
		case err != nil:
			return err
		}
		if skipLine(text) {
			continue
		}
		line.AppendHistory(text)
		err = s.Exec(ctx, text)
		if errors.Is(err, ErrQuit) {
			return nil
		}
		if err != nil {
			fmt.Fprintln(errOut, FormatLineError(err, text))
		}
	}
	return nil
}

// saveHistory writes the history file; failures are ignored on purpose:
// history must never stop the shell.
func saveHistory(line *liner.State, path string) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return
	}
	// liner keeps at most its HistoryLimit (1000) entries, so the file
	// stays bounded.
	_, _ = line.WriteHistory(f)
	_ = f.Close()
}
