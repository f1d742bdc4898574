package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestHashpw(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		stdin    string
		password string // what the hash must match, when it succeeds
		usage    bool   // errUsage (exit 2)
		errText  string // else an exitError with code 1 containing this
	}{
		{"newline", []string{"--cost", "4", "alice"}, "wonderland\n", "wonderland", false, ""},
		{"CRLF", []string{"--cost=4", "alice"}, "wonderland\r\n", "wonderland", false, ""},
		{"no newline", []string{"-cost", "4", "bob"}, "p@ss word ", "p@ss word ", false, ""},
		{"only first line", []string{"--cost", "4", "bob"}, "first\nsecond\n", "first", false, ""},
		{"72 bytes", []string{"--cost", "4", "bob"}, strings.Repeat("x", 72), strings.Repeat("x", 72), false, ""},
		{"no user", []string{"--cost", "4"}, "pw\n", "", true, ""},
		{"two users", []string{"a", "b"}, "pw\n", "", true, ""},
		{"cost too low", []string{"--cost", "3", "a"}, "pw\n", "", true, ""},
		{"cost too high", []string{"--cost", "32", "a"}, "pw\n", "", true, ""},
		{"bad flag", []string{"--password", "x", "a"}, "pw\n", "", true, ""},
		{"empty stdin", []string{"--cost", "4", "a"}, "", "", false, "no password on stdin"},
		{"empty password", []string{"--cost", "4", "a"}, "\n", "", false, "empty password"},
		{"73 bytes", []string{"--cost", "4", "a"}, strings.Repeat("x", 73) + "\n", "", false, "at most 72"},
		{"huge line", []string{"--cost", "4", "a"}, strings.Repeat("x", 10000), "", false, "too long"},
		{"colon in name", []string{"--cost", "4", "a:b"}, "pw\n", "", false, "':'"},
		{"space around name", []string{"--cost", "4", " a"}, "pw\n", "", false, "spaces"},
		{"empty name", []string{"--cost", "4", ""}, "pw\n", "", false, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := runHashpw(context.Background(), tt.args, strings.NewReader(tt.stdin), &stdout, &stderr)
			switch {
			case tt.usage:
				if !errors.Is(err, errUsage) {
					t.Fatalf("err = %v, want errUsage", err)
				}
				if stdout.Len() != 0 {
					t.Errorf("stdout = %q on usage error", stdout.String())
				}
				return
			case tt.errText != "":
				var exit *exitError
				if !errors.As(err, &exit) || exit.code != 1 || !strings.Contains(err.Error(), tt.errText) {
					t.Fatalf("err = %v, want exit 1 containing %q", err, tt.errText)
				}
				if stdout.Len() != 0 {
					t.Errorf("stdout = %q on error", stdout.String())
				}
				if pw := strings.TrimSpace(tt.stdin); len(pw) > 3 && strings.Contains(err.Error(), pw) {
					t.Errorf("error %q repeats the password", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			line := stdout.String()
			if !strings.HasSuffix(line, "\n") || strings.Count(line, "\n") != 1 {
				t.Fatalf("output %q is not one line", line)
			}
			name, hash, ok := strings.Cut(strings.TrimSuffix(line, "\n"), ":")
			if !ok || name != tt.args[len(tt.args)-1] {
				t.Fatalf("output %q: want %s:<hash>", line, tt.args[len(tt.args)-1])
			}
			if len(hash) != 60 || !strings.HasPrefix(hash, "$2a$04$") {
				t.Errorf("hash %q is not a cost-4 bcrypt hash", hash)
			}
			if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(tt.password)); err != nil {
				t.Errorf("hash does not match %q: %v", tt.password, err)
			}
		})
	}
}

func TestHashpwDefaultCost(t *testing.T) {
	var stdout bytes.Buffer
	if err := runHashpw(context.Background(), []string{"cassandra"}, strings.NewReader("cassandra\n"), &stdout, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	_, hash, _ := strings.Cut(strings.TrimSpace(stdout.String()), ":")
	if c, err := bcrypt.Cost([]byte(hash)); err != nil || c != 10 {
		t.Errorf("cost = %d, %v; want 10 (bcrypt.DefaultCost, Cassandra's)", c, err)
	}
}

func TestHashpwRegistered(t *testing.T) {
	c, ok := commands["hashpw"]
	if !ok || c.run == nil || c.summary == "" {
		t.Fatal("hashpw is not in the commands table")
	}
	var stderr bytes.Buffer
	if err := run(context.Background(), []string{"hashpw", "-h"}, &bytes.Buffer{}, &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("hashpw -h: %v", err)
	}
	if !strings.Contains(stderr.String(), "stdin") {
		t.Errorf("usage does not say the password comes from stdin:\n%s", stderr.String())
	}
}

func FuzzReadPasswordLine(f *testing.F) {
	f.Add("secret\n")
	f.Add("\r\n")
	f.Add("a\rb\r\n\n")
	f.Add(strings.Repeat("x", 80))
	f.Fuzz(func(t *testing.T, in string) {
		pw, err := readPasswordLine(strings.NewReader(in))
		if err != nil {
			return
		}
		if len(pw) == 0 || len(pw) > 72 || bytes.ContainsRune(pw, '\n') {
			t.Fatalf("readPasswordLine(%q) = %q", in, pw)
		}
		if !strings.HasPrefix(in, string(pw)) {
			t.Fatalf("readPasswordLine(%q) = %q, not a prefix", in, pw)
		}
	})
}
