package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/apache/thrift/lib/go/thrift"
	tg "github.com/cassa-go/cassa/thriftgen"
)

func TestServerCommandServesAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"server", "--listen", "127.0.0.1:0", "--cql-listen", "127.0.0.1:0", "--partitioner", "ByteOrderedPartitioner"}, pw, &stderr)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		t.Fatalf("no output; stderr: %s", stderr.String())
	}
	first := lines.Text()
	const prefix = "cassa server listening on "
	if !strings.HasPrefix(first, prefix) {
		t.Fatalf("first line %q", first)
	}
	addr := strings.TrimPrefix(first, prefix)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "cassa server CQL listening on 127.0.0.1:") {
		t.Fatalf("second line %q", lines.Text())
	}
	go io.Copy(io.Discard, pr) // drain the shutdown line

	cfg := &thrift.TConfiguration{ConnectTimeout: 5 * time.Second, SocketTimeout: 10 * time.Second}
	trans := thrift.NewTFramedTransportConf(thrift.NewTSocketConf(addr, cfg), cfg)
	if err := trans.Open(); err != nil {
		t.Fatal(err)
	}
	defer trans.Close()
	p := thrift.NewTBinaryProtocolConf(trans, cfg)
	c := tg.NewCassandraClient(thrift.NewTStandardClient(p, p))
	part, err := c.DescribePartitioner(context.Background())
	if err != nil || part != "org.apache.cassandra.dht.ByteOrderedPartitioner" {
		t.Fatalf("describe_partitioner: %q %v", part, err)
	}

	cancel() // what SIGINT/SIGTERM do in main
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("server command returned %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("server did not stop")
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{nil, {"nope"}, {"server", "extra"}} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, &out, &errOut)
		if !errors.Is(err, errUsage) {
			t.Errorf("%q: got %v", args, err)
		}
		if !strings.Contains(errOut.String(), "usage: cassa") {
			t.Errorf("%q: no usage text in %q", args, errOut.String())
		}
	}
	for _, args := range [][]string{{"help"}, {"-h"}, {"server", "-h"}, {"migrate", "-h"}, {"shell", "--help"}} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), args, &out, &errOut); !errors.Is(err, flag.ErrHelp) || !strings.Contains(errOut.String(), "usage: cassa") {
			t.Errorf("%q: %v, want flag.ErrHelp (exit 0) and usage; stderr %q", args, err, errOut.String())
		}
	}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"server", "--partitioner", "Bogus"}, &out, &errOut); err == nil {
		t.Fatal("bad partitioner accepted")
	}
	if err := run(context.Background(), []string{"server", "--bogus-flag"}, &out, &errOut); err == nil {
		t.Fatal("unknown flag accepted")
	}
}
