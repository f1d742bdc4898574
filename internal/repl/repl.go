package repl

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/peterh/liner"
)

// ErrInterrupted is returned by Terminal.Prompt when Ctrl-C was pressed.
var ErrInterrupted = errors.New("repl: interrupted")

// Completer completes the word that ends at byte offset pos of line: it
// returns the text before the word, the candidates, and the text after
// pos.
type Completer func(line string, pos int) (head string, completions []string, tail string)

// Terminal is a line editor on the process's terminal (liner drives
// os.Stdin and os.Stdout) with history and completion. It is used by one
// goroutine at a time.
type Terminal struct {
	line    *liner.State
	history string
}

// Open puts the terminal in line-editing mode, loads the history from
// historyPath (none when empty or unreadable) and completes words with
// complete (none when nil). Close restores the terminal.
func Open(historyPath string, complete Completer) *Terminal {
	line := liner.NewLiner()
	line.SetCtrlCAborts(true)
	line.SetTabCompletionStyle(liner.TabPrints)
	if complete != nil {
		line.SetWordCompleter(liner.WordCompleter(complete))
	}
	if historyPath != "" {
		if f, err := os.Open(historyPath); err == nil {
			_, _ = line.ReadHistory(f)
			_ = f.Close()
		}
	}
	return &Terminal{line: line, history: historyPath}
}

// Prompt shows p and reads a line. It returns ErrInterrupted on Ctrl-C
// and io.EOF on Ctrl-D at an empty line.
func (t *Terminal) Prompt(p string) (string, error) {
	s, err := t.line.Prompt(p)
	if errors.Is(err, liner.ErrPromptAborted) {
		return "", ErrInterrupted
	}
	return s, err
}

// AddHistory appends s to the history (one entry; line ends become
// spaces).
func (t *Terminal) AddHistory(s string) {
	s = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\r", ""), "\n", " "))
	if s != "" {
		t.line.AppendHistory(s)
	}
}

// Close writes the history file (failures are ignored on purpose: history
// must never stop a shell) and restores the terminal.
func (t *Terminal) Close() error {
	if t.history != "" {
		if f, err := os.OpenFile(t.history, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600); err == nil {
			// liner keeps at most its HistoryLimit (1000) entries, so the
			// file stays bounded.
			_, _ = t.line.WriteHistory(f)
			_ = f.Close()
		}
	}
	return t.line.Close()
}

// HistoryPath returns the file name in the user's home directory, or ""
// when there is no home directory (history is then not kept).
func HistoryPath(name string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ""
	}
	return filepath.Join(home, name)
}

// IsTerminal reports whether r is the process's standard input and a
// terminal that the line editor can drive.
func IsTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok || f != os.Stdin {
		return false
	}
	return IsTTY(f) && liner.TerminalSupported()
}

// IsTTY reports whether f is a terminal. A character device is not
// enough: standard input redirected from /dev/null (CI, cron, a service)
// is one, and a shell must then read it as piped input, without a banner
// or prompt.
func IsTTY(f *os.File) bool {
	return f != nil && isTTY(f)
}

// Loop reads statements from a Terminal and runs them.
type Loop struct {
	Term *Terminal
	// Prompt returns the prompt to show; open is true while a statement
	// started on earlier lines goes on.
	Prompt func(open bool) string
	// Add adds a line to the text read so far ("" at first) and returns
	// the new text and whether it is ready to run. Text that is not ready
	// is kept for the next line; "" (for a blank or comment line) means
	// nothing is pending.
	Add func(sofar, line string) (text string, ready bool)
	// Run runs ready text with a context that Ctrl-C cancels. quit ends
	// the loop.
	Run func(ctx context.Context, text string) (quit bool, err error)
	// Report shows an error of Run (not called when Ctrl-C cancelled it).
	Report func(err error, text string)
	// Interrupted is called when Ctrl-C cancelled a running statement; nil
	// does nothing.
	Interrupted func()
	// EndOfInput is called when Ctrl-D ends the loop, with what was typed
	// of an open statement ("" if none); nil does nothing.
	EndOfInput func(pending string)
}

// Do runs the loop until Run asks to quit, end of input (Ctrl-D), or
// SIGTERM (seen once the current statement or line ends). Ctrl-C at the
// prompt drops the statement being typed; while a statement runs it
// cancels that statement only: the caller's ctx is detached, and
// interrupts are taken here. Do fails only when the terminal cannot be
// read.
func (l Loop) Do(ctx context.Context) error {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	base := context.WithoutCancel(ctx)
	pending := ""
	for {
		text, err := l.Term.Prompt(l.Prompt(pending != ""))
		switch {
		case errors.Is(err, ErrInterrupted):
			pending = "" // Ctrl-C drops the whole statement
			continue
		case errors.Is(err, io.EOF):
			if l.EndOfInput != nil {
				l.EndOfInput(pending)
			}
			return nil
		case err != nil:
			return err
		}
		text, ready := l.Add(pending, text)
		if !ready {
			pending = text
			continue
		}
		pending = ""
		select {
		case sig := <-signals: // arrived while at the prompt
			if sig == syscall.SIGTERM {
				return nil
			}
		default:
		}
		l.Term.AddHistory(text)
		sig, quit, err := l.runInterruptible(base, text, signals)
		switch {
		case quit || sig == syscall.SIGTERM:
			return nil
		case sig != nil:
			if l.Interrupted != nil {
				l.Interrupted()
			}
		case err != nil:
			l.Report(err, text)
		}
	}
}

// runInterruptible runs text with a context that a signal cancels, and
// returns the signal if one came.
func (l Loop) runInterruptible(ctx context.Context, text string, signals <-chan os.Signal) (os.Signal, bool, error) {
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
	quit, err := l.Run(ctx, text)
	close(done)
	select {
	case sig := <-got:
		return sig, quit, err
	default:
		return nil, quit, err
	}
}
