package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

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
// printing errors to errOut, until quit, end of input (Ctrl-D) or SIGTERM
// (seen once the current command or line ends). Ctrl-C at the prompt drops
// the line; while a command runs it cancels that command and returns to
// the prompt. It fails only when the terminal cannot be used; history
// problems are ignored. liner drives os.Stdin and os.Stdout.
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
	// Ctrl-C while a command runs cancels that command, not the shell:
	// the caller's context (which SIGINT cancels in cmd/cassa) is
	// detached, and interrupts are taken here. At the prompt the terminal
	// is raw, so Ctrl-C arrives as a key and liner drops the line.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	base := context.WithoutCancel(ctx)
	pending := "" // a statement open over several lines
	for {
		prompt := s.Prompt()
		if pending != "" {
			prompt = strings.Repeat(" ", max(len(prompt)-5, 0)) + "...> "
		}
		text, err := line.Prompt(prompt)
		switch {
		case errors.Is(err, liner.ErrPromptAborted):
			pending = "" // Ctrl-C drops the whole statement
			continue
		case errors.Is(err, io.EOF):
			fmt.Fprintln(s.out)
			return nil
		case err != nil:
			return err
		}
		if pending != "" {
			text = pending + " " + strings.TrimSpace(text)
			pending = ""
		} else if skipLine(text) {
			continue
		}
		if Incomplete(text) {
			pending = text
			continue
		}
		select {
		case sig := <-signals: // arrived while at the prompt
			if sig == syscall.SIGTERM {
				return nil
			}
		default:
		}
		line.AppendHistory(text)
		sig, err := s.execInterruptible(base, text, signals)
		switch {
		case errors.Is(err, ErrQuit) || sig == syscall.SIGTERM:
			return nil
		case sig != nil:
			fmt.Fprintln(errOut, "interrupted")
		case err != nil:
			fmt.Fprintln(errOut, FormatLineError(err, text))
		}
	}
}

// execInterruptible runs line with a context that a signal cancels, and
// returns the signal if one came.
func (s *Shell) execInterruptible(ctx context.Context, line string, signals <-chan os.Signal) (os.Signal, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	got := make(chan os.Signal, 1)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-signals:
			got <- sig
			cancel()
		case <-done:
		}
	}()
	err := s.Exec(ctx, line)
	close(done)
	select {
	case sig := <-got:
		return sig, err
	default:
		return nil, err
	}
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
