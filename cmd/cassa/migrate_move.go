package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/migrate"
	"github.com/cassa-go/cassa/thrift/pool"
)

func migrateMoveUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "usage: cassa migrate move --keyspace KS --from CF --to TABLE [flags]")
	fmt.Fprintln(w, "       cassa migrate move --keyspace KS --from CF --in-place [--apply] [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Copies the Thrift column family CF (read over --servers) into the existing CQL")
	fmt.Fprintln(w, "table TABLE (written over --cql-servers), token range by token range, with the")
	fmt.Fprintln(w, "cells' timestamps and TTLs, printing progress on stderr. Finished ranges are")
	fmt.Fprintln(w, "recorded in the table cassa_cql_moves of the target keyspace: run it again after")
	fmt.Fprintln(w, "an interruption and it resumes (--restart copies everything again). At the end the")
	fmt.Fprintln(w, "rows of each range are counted on the CQL side and compared with the column family.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "--in-place plans ALTER TABLE CF DROP COMPACT STORAGE instead (Cassandra 3.x before")
	fmt.Fprintln(w, "4.0: the column family becomes a CQL table without a copy); --apply runs it.")
	fmt.Fprintln(w, "Exit status: 0 done (or nothing to switch), 1 in-place step pending, 2 error or")
	fmt.Fprintln(w, "row counts that differ.")
	if fs != nil {
		fmt.Fprintln(w)
		fs.PrintDefaults()
	}
}

// moveFlags are the flags of `cassa migrate move`.
type moveFlags struct {
	servers, cqlServers, keyspace, from, to, toKeyspace string
	ranges, workers                                     int
	restart, inPlace, apply, json                       bool
	timeout                                             time.Duration
}

// runMigrateMove is `cassa migrate move`.
func runMigrateMove(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cassa migrate move", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f moveFlags
	fs.StringVar(&f.servers, "servers", "localhost:9160", "comma-separated Thrift `host:port` list (the source)")
	fs.StringVar(&f.cqlServers, "cql-servers", "", "comma-separated CQL `host:port` list (default: the --servers hosts on port 9042)")
	fs.StringVar(&f.keyspace, "keyspace", "", "the column family's keyspace `name` (required)")
	fs.StringVar(&f.from, "from", "", "the Thrift column family `name` (required)")
	fs.StringVar(&f.to, "to", "", "the CQL table `name` to copy into (it must exist)")
	fs.StringVar(&f.toKeyspace, "to-keyspace", "", "the table's keyspace `name` (default: --keyspace)")
	fs.IntVar(&f.ranges, "ranges", migrate.DefaultMoveRanges, "token ranges to cut the ring into")
	fs.IntVar(&f.workers, "workers", migrate.DefaultMoveWorkers, "ranges to copy at once")
	fs.BoolVar(&f.restart, "restart", false, "forget the finished ranges and copy everything again")
	fs.BoolVar(&f.inPlace, "in-place", false, "plan DROP COMPACT STORAGE on the column family instead of copying it")
	fs.BoolVar(&f.apply, "apply", false, "with --in-place: run the plan")
	fs.BoolVar(&f.json, "json", false, "print JSON instead of text")
	fs.DurationVar(&f.timeout, "timeout", 0, "give up after this `duration` (0: never)")
	fs.Usage = func() { migrateMoveUsage(stderr, fs) }
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	usage := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "cassa migrate move: "+format+"\n", a...)
		fs.Usage()
		return errUsage
	}
	switch {
	case fs.NArg() > 0:
		return usage("unexpected argument %q", fs.Arg(0))
	case f.keyspace == "" || f.from == "":
		return usage("--keyspace and --from are required")
	case f.inPlace && (f.to != "" || f.toKeyspace != "" || f.restart):
		return usage("--in-place switches the column family itself: --to, --to-keyspace and --restart are for copies")
	case !f.inPlace && f.to == "":
		return usage("--to (or --in-place) is required")
	case f.apply && !f.inPlace:
		return usage("--apply goes with --in-place (a copy always runs)")
	case f.timeout < 0 || f.ranges < 1 || f.workers < 1:
		return usage("--timeout must be 0 or more, --ranges and --workers 1 or more")
	}
	servers := splitServers(f.servers)
	cqlServers := splitServers(f.cqlServers)
	if len(cqlServers) == 0 {
		for _, s := range servers {
			host, _, err := net.SplitHostPort(s)
			if err != nil {
				host = s
			}
			cqlServers = append(cqlServers, net.JoinHostPort(host, cqlPort))
		}
	}
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
		defer cancel()
	}
	fail := func(err error) error { return &exitError{code: migrateFailed, err: err} }
	db, err := cql.Open(ctx, cql.Config{Hosts: cqlServers})
	if err != nil {
		return fail(err)
	}
	defer db.Close(context.WithoutCancel(ctx))
	if f.inPlace {
		code, err := moveInPlace(ctx, db, f, stdout)
		if err != nil {
			return fail(err)
		}
		if code != migrateOK {
			return &exitError{code: code}
		}
		return nil
	}
	p, err := pool.Open(ctx, pool.Config{Servers: servers, Keyspace: f.keyspace, PoolSize: f.workers})
	if err != nil {
		return fail(err)
	}
	defer p.Close(context.WithoutCancel(ctx))
	spec := migrate.MoveSpec{ColumnFamily: f.from, Keyspace: f.toKeyspace, Table: f.to}
	if spec.Keyspace == "" {
		spec.Keyspace = f.keyspace
	}
	opts := []migrate.MoveOption{migrate.MoveRanges(f.ranges), migrate.MoveWorkers(f.workers), migrate.OnProgress(progressPrinter(stderr, f.from))}
	if f.restart {
		opts = append(opts, migrate.RestartMove())
	}
	res, err := migrate.MoveThriftToCQL(ctx, p, db, spec, opts...)
	if f.json {
		out := struct {
			*migrate.MoveResult
			Error string `json:"error,omitempty"`
		}{MoveResult: res}
		if err != nil {
			out.Error = err.Error()
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(out); jerr != nil && err == nil {
			err = jerr
		}
	} else if res != nil {
		fmt.Fprintf(stdout, "moved %s.%s into %s.%s: %d rows (%d copied now, %d cells, %d cells skipped), %d token ranges (%d done before), %v\n",
			f.keyspace, f.from, spec.Keyspace, spec.Table, res.Rows, res.Copied, res.Cells, res.Skipped, res.Ranges, res.Resumed, res.Elapsed.Round(time.Millisecond))
	}
	if err != nil {
		var ce *migrate.CountMismatchError
		if errors.As(err, &ce) {
			for _, r := range ce.Ranges {
				fmt.Fprintf(stderr, "  token range (%s, %s]: column family %d rows, table %d\n", r.Start, r.End, r.Source, r.Target)
			}
		}
		return fail(err)
	}
	return nil
}

// progressPrinter prints the move's progress on w, at most once a second
// and when it is done.
func progressPrinter(w io.Writer, name string) func(migrate.MoveProgress) {
	var mu sync.Mutex
	var last time.Time
	var done bool // the last line is printed once, however often it is reported
	return func(p migrate.MoveProgress) {
		mu.Lock()
		defer mu.Unlock()
		finished := p.RangesDone >= p.Ranges
		if done || !finished && time.Since(last) < time.Second {
			return
		}
		last, done = time.Now(), finished
		fmt.Fprintf(w, "move %s: %s\n", name, p)
	}
}

// moveInPlace plans (and with --apply runs) DROP COMPACT STORAGE on the
// column family.
func moveInPlace(ctx context.Context, db *cql.Session, f moveFlags, stdout io.Writer) (int, error) {
	p, err := migrate.PlanDropCompactStorage(ctx, db, f.keyspace, f.from)
	if err != nil {
		return 0, err
	}
	if !f.apply {
		if f.json {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			err = enc.Encode(p)
		} else {
			fmt.Fprint(stdout, p)
		}
		if err != nil || p.Empty() {
			return migrateOK, err
		}
		return migratePending, nil
	}
	if !f.json {
		fmt.Fprint(stdout, p)
	}
	err = p.Apply(ctx)
	if f.json {
		res := applyResult{Plan: p}
		if err == nil {
			res.Applied = len(p.Steps)
		} else {
			res.Error = err.Error()
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(res); jerr != nil && err == nil {
			err = jerr
		}
	} else if err == nil {
		fmt.Fprintf(stdout, "done: %d step(s) applied\n", len(p.Steps))
	}
	return migrateOK, err
}
