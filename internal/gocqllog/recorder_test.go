package gocqllog

import (
	"sync"
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

func TestRecorderKeepsLevelMessageAndFields(t *testing.T) {
	var r Recorder
	r.Info("Handling event frame.", gocql.NewLogFieldString("change", "CREATED"), gocql.NewLogFieldInt("stream", -1))
	r.Error("boom")
	want := `INFO Handling event frame. change=CREATED stream=-1` + "\nERROR boom"
	if got := r.String(); got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
}

func TestWaitForSeesALineLoggedLater(t *testing.T) {
	var r Recorder
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		r.Debug("other")
		r.Warning("schema change", gocql.NewLogFieldString("keyspace", "ks"))
	}()
	if got := r.WaitFor(t, "WARN", "keyspace=ks"); got != "WARN schema change keyspace=ks" {
		t.Fatalf("WaitFor = %q", got)
	}
	wg.Wait()
}
