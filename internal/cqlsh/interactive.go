package cqlsh

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cassa-go/cassa/internal/repl"
)

// HistoryFile is the name of the history file in the home directory.
const HistoryFile = ".cassa_cqlsh_history"

// RunInteractive reads statements at the terminal with line editing,
// history (kept in historyPath unless empty) and completion, until EXIT,
// Ctrl-D or SIGTERM. Ctrl-C drops the statement being typed, or cancels
// the one running. Results page behind a ---MORE--- prompt.
func (s *Shell) RunInteractive(ctx context.Context, historyPath string) error {
	term := repl.Open(historyPath, s.Complete)
	defer term.Close()
	s.cfg.Interactive = true
	s.cfg.Prompt = term.Prompt
	return repl.Loop{
		Term: term,
		Prompt: func(open bool) string {
			if open {
				return s.ContinuePrompt()
			}
			return s.Prompt()
		},
		Add: func(sofar, line string) (string, bool) {
			text := sofar + line + "\n"
			if strings.TrimSpace(text) == "" {
				return "", false
			}
			if !s.Ready(text) {
				return text, false
			}
			if len(s.splitter.Split(text)) == 0 {
				return "", false // comments only
			}
			return text, true
		},
		Run: func(ctx context.Context, text string) (bool, error) {
			err := s.Run(ctx, text)
			if errors.Is(err, ErrQuit) {
				return true, nil
			}
			return false, err
		},
		Report:      func(err error, _ string) { s.printErr(err.Error()) },
		Interrupted: func() { fmt.Fprintln(s.console) },
		EndOfInput: func(pending string) {
			fmt.Fprintln(s.console)
			if strings.TrimSpace(pending) != "" {
				s.printErr("Incomplete statement at end of file")
			}
		},
	}.Do(ctx)
}
