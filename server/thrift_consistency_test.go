package server_test

import (
	"fmt"
	"testing"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Consistency levels on a single node: which levels each method accepts
// (ConsistencyLevel.validateForRead/validateForWrite and friends) and which
// are unavailable with one replica (ConsistencyLevel.blockFor), for RF 1-3
// and NetworkTopologyStrategy.

func TestThriftConsistencyLevels(t *testing.T) {
	c, _ := startAndDial(t, server.Config{})
	nts := "org.apache.cassandra.locator.NetworkTopologyStrategy"
	for name, ks := range map[string]*tg.KsDef{
		"Rf1":    ksDef("Rf1", simple, rf1, cfDef("Rf1", "cf")),
		"Rf2":    ksDef("Rf2", simple, map[string]string{"replication_factor": "2"}, cfDef("Rf2", "cf")),
		"Rf0":    ksDef("Rf0", simple, map[string]string{"replication_factor": "0"}, cfDef("Rf0", "cf")),
		"Nts":    ksDef("Nts", nts, map[string]string{"datacenter1": "1"}, cfDef("Nts", "cf")),
		"NtsFar": ksDef("NtsFar", nts, map[string]string{"dc2": "1"}, cfDef("NtsFar", "cf")),
	} {
		_, err := c.SystemAddKeyspace(ctx, ks)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	const (
		ok    = ""
		ue    = "UE"
		anyRd = "ANY ConsistencyLevel is only supported for writes"
		// EACH_QUORUM reads are allowed from 3.0 (ConsistencyLevel.validateForRead
		// refuses ANY only); with SimpleStrategy they need the plain quorum.
		eqRd = ok
	)
	L := map[string]tg.ConsistencyLevel{
		"ONE": tg.ConsistencyLevel_ONE, "TWO": tg.ConsistencyLevel_TWO, "THREE": tg.ConsistencyLevel_THREE,
		"QUORUM": tg.ConsistencyLevel_QUORUM, "ALL": tg.ConsistencyLevel_ALL, "ANY": tg.ConsistencyLevel_ANY,
		"LOCAL_QUORUM": tg.ConsistencyLevel_LOCAL_QUORUM, "EACH_QUORUM": tg.ConsistencyLevel_EACH_QUORUM,
		"LOCAL_ONE": tg.ConsistencyLevel_LOCAL_ONE, "SERIAL": tg.ConsistencyLevel_SERIAL,
	}
	cases := []struct {
		ks, cl      string
		read, write string
	}{
		{"Rf1", "ONE", ok, ok},
		{"Rf1", "LOCAL_ONE", ok, ok},
		{"Rf1", "TWO", ue, ue},
		{"Rf1", "THREE", ue, ue},
		{"Rf1", "QUORUM", ok, ok},
		{"Rf1", "ALL", ok, ok},
		{"Rf1", "LOCAL_QUORUM", ok, ok},
		{"Rf1", "EACH_QUORUM", eqRd, ok},
		{"Rf1", "ANY", anyRd, ok},
		{"Rf1", "SERIAL", ok, "You must use conditional updates for serializable writes"},
		{"Rf2", "ONE", ok, ok},
		{"Rf2", "QUORUM", ue, ue},
		{"Rf2", "ALL", ue, ue},
		{"Rf2", "LOCAL_QUORUM", ue, ue},
		{"Rf2", "ANY", anyRd, ok},
		{"Rf0", "ONE", ue, ue},
		{"Nts", "ONE", ok, ok},
		{"Nts", "QUORUM", ok, ok},
		{"NtsFar", "ONE", ue, ue},
	}
	check := func(t *testing.T, err error, want string) {
		t.Helper()
		switch want {
		case ok:
			must(t, err)
		case ue:
			mustUE(t, err)
		default:
			mustIRE(t, err, want)
		}
	}
	for _, tc := range cases {
		t.Run(tc.ks+"/"+tc.cl, func(t *testing.T) {
			must(t, c.SetKeyspace(ctx, tc.ks))
			_, err := c.GetSlice(ctx, []byte("k"), parent("cf"), columnRange("", "", false, 1), L[tc.cl])
			check(t, err, tc.read)
			check(t, c.Insert(ctx, []byte("k"), parent("cf"), col("c", "v", 1), L[tc.cl]), tc.write)
		})
	}
	// truncate takes no CL and works on one node.
	must(t, c.SetKeyspace(ctx, "Rf2"))
	must(t, c.Truncate(ctx, "cf"))
	// An unknown CL in a required argument is a protocol error, as in
	// Java (the enum decodes to null and the struct check fails); remove's
	// CL has default requiredness, and there the emulator answers an IRE
	// where Java drops the connection.
	must(t, c.SetKeyspace(ctx, "Rf1"))
	_, err := c.GetSlice(ctx, []byte("k"), parent("cf"), columnRange("", "", false, 1), 42)
	mustAppErr(t, err, thrift.PROTOCOL_ERROR)
	_, err = c.Cas(ctx, []byte("k"), "cf", nil, nil, tg.ConsistencyLevel_SERIAL, 0)
	mustAppErr(t, err, thrift.PROTOCOL_ERROR)
	mustIRE(t, c.Remove(ctx, []byte("k"), colPath("cf", "c"), 1, 0), "Invalid consistency level 0")
	_, err = c.DescribeVersion(ctx)
	must(t, err)
}

func TestThriftConsistencyTable(t *testing.T) {
	c, _ := startAndDial(t, server.Config{})
	nts := "org.apache.cassandra.locator.NetworkTopologyStrategy"
	spaces := map[string]*tg.KsDef{
		"Rf1":    ksDef("Rf1", simple, rf1),
		"Rf2":    ksDef("Rf2", simple, map[string]string{"replication_factor": "2"}),
		"Rf3":    ksDef("Rf3", simple, map[string]string{"replication_factor": "3"}),
		"Nts3":   ksDef("Nts3", nts, map[string]string{"datacenter1": "3"}),
		"Nts2D":  ksDef("Nts2D", nts, map[string]string{"datacenter1": "1", "dc2": "1"}),
		"NtsDc0": ksDef("NtsDc0", nts, map[string]string{"datacenter1": "0", "dc2": "3"}),
	}
	for name, ks := range spaces {
		ks.CfDefs = []*tg.CfDef{cfDef(name, "cf"), func() *tg.CfDef {
			d := cfDef(name, "cnt")
			d.DefaultValidationClass = strp("CounterColumnType")
			return d
		}()}
		_, err := c.SystemAddKeyspace(ctx, ks)
		must(t, err)
	}
	const ok, ue = "", "UE"
	anyRd := "ANY ConsistencyLevel is only supported for writes"
	serialW := "You must use conditional updates for serializable writes"
	cnAny := "Consistency level ANY is not yet supported for counter table cnt"
	cnSer := "Counter operations are inherently non-serializable"
	type row struct {
		ks      string
		cl      tg.ConsistencyLevel
		read    string
		write   string
		counter string
	}
	L := tg.ConsistencyLevel_LOCAL_QUORUM
	rows := []row{
		{"Rf1", tg.ConsistencyLevel_LOCAL_SERIAL, ok, serialW, cnSer},
		{"Rf1", tg.ConsistencyLevel_ANY, anyRd, ok, cnAny},
		// EACH_QUORUM reads: allowed in 3.11 (validateForRead refuses ANY
		// only), and they need a quorum in every datacenter (blockFor).
		{"Rf1", tg.ConsistencyLevel_EACH_QUORUM, ok, ok, ok},
		{"Rf2", tg.ConsistencyLevel_ONE, ok, ok, ok},
		{"Rf2", tg.ConsistencyLevel_LOCAL_ONE, ok, ok, ok},
		{"Rf2", tg.ConsistencyLevel_TWO, ue, ue, ue},
		{"Rf2", tg.ConsistencyLevel_SERIAL, ue, serialW, cnSer},
		{"Rf2", tg.ConsistencyLevel_EACH_QUORUM, ue, ue, ue},
		{"Rf3", tg.ConsistencyLevel_ONE, ok, ok, ok},
		{"Rf3", tg.ConsistencyLevel_QUORUM, ue, ue, ue},
		{"Rf3", L, ue, ue, ue},
		{"Rf3", tg.ConsistencyLevel_ALL, ue, ue, ue},
		{"Rf3", tg.ConsistencyLevel_THREE, ue, ue, ue},
		{"Rf3", tg.ConsistencyLevel_ANY, anyRd, ok, cnAny},
		{"Rf3", tg.ConsistencyLevel_LOCAL_SERIAL, ue, serialW, cnSer},
		{"Nts3", tg.ConsistencyLevel_ONE, ok, ok, ok},
		{"Nts3", tg.ConsistencyLevel_QUORUM, ue, ue, ue},
		{"Nts3", L, ue, ue, ue},
		{"Nts3", tg.ConsistencyLevel_EACH_QUORUM, ue, ue, ue},
		// Two DCs with RF 1 each: quorum of 2 is 2, local quorum is 1,
		// each-quorum needs dc2 too.
		{"Nts2D", tg.ConsistencyLevel_ONE, ok, ok, ok},
		{"Nts2D", tg.ConsistencyLevel_LOCAL_ONE, ok, ok, ok},
		{"Nts2D", tg.ConsistencyLevel_QUORUM, ue, ue, ue},
		{"Nts2D", L, ok, ok, ok},
		{"Nts2D", tg.ConsistencyLevel_EACH_QUORUM, ue, ue, ue},
		{"Nts2D", tg.ConsistencyLevel_ALL, ue, ue, ue},
		{"Nts2D", tg.ConsistencyLevel_TWO, ue, ue, ue},
		{"Nts2D", tg.ConsistencyLevel_ANY, anyRd, ok, cnAny},
		// No replica on this node.
		{"NtsDc0", tg.ConsistencyLevel_ONE, ue, ue, ue},
		{"NtsDc0", tg.ConsistencyLevel_ANY, anyRd, ok, cnAny},
	}
	check := func(t *testing.T, what string, err error, want string) {
		t.Helper()
		switch want {
		case ok:
			if err != nil {
				t.Errorf("%s: %v", what, err)
			}
		case ue:
			if _, isUE := err.(*tg.UnavailableException); !isUE {
				t.Errorf("%s: want UnavailableException, got %v", what, err)
			}
		default:
			ire, isIRE := err.(*tg.InvalidRequestException)
			if !isIRE || ire.Why != want {
				t.Errorf("%s: want IRE %q, got %v", what, want, err)
			}
		}
	}
	for _, r := range rows {
		t.Run(fmt.Sprintf("%s/%v", r.ks, r.cl), func(t *testing.T) {
			must(t, c.SetKeyspace(ctx, r.ks))
			k := []byte("k")
			p := parent("cf")
			_, err := c.Get(ctx, k, colPath("cf", "c"), r.cl)
			if r.read == ok {
				// get raises NFE on an empty row when the read is allowed.
				if _, nf := err.(*tg.NotFoundException); nf {
					err = nil
				}
			}
			check(t, "get", err, r.read)
			_, err = c.GetSlice(ctx, k, p, names("c"), r.cl)
			check(t, "get_slice", err, r.read)
			_, err = c.MultigetCount(ctx, [][]byte{k}, p, names("c"), r.cl)
			check(t, "multiget_count", err, r.read)
			_, err = c.GetRangeSlices(ctx, p, names("c"), keyRange("", "", 10), r.cl)
			if r.cl == tg.ConsistencyLevel_SERIAL || r.cl == tg.ConsistencyLevel_LOCAL_SERIAL {
				// Range reads at a serial CL are not Paxos reads; skip.
				err = nil
				if r.read != ok {
					goto writes
				}
			}
			check(t, "get_range_slices", err, r.read)
		writes:
			check(t, "insert", c.Insert(ctx, k, p, col("c", "v", 1), r.cl), r.write)
			check(t, "remove", c.Remove(ctx, k, colPath("cf", "c"), 0, r.cl), r.write)
			check(t, "batch_mutate", c.BatchMutate(ctx, mutationMap{"k": {"cf": {mutCol(col("c", "v", 1))}}}, r.cl), r.write)
			check(t, "atomic_batch_mutate", c.AtomicBatchMutate(ctx, mutationMap{"k": {"cf": {mutCol(col("c", "v", 1))}}}, r.cl), r.write)
			check(t, "add", c.Add(ctx, k, parent("cnt"), counterColumn("c", 1), r.cl), r.counter)
			check(t, "remove_counter", c.RemoveCounter(ctx, k, colPath("cnt", "c"), r.cl), r.counter)
			check(t, "batch counter", c.BatchMutate(ctx, mutationMap{"k": {"cnt": {mutCounter("c", 1)}}}, r.cl), r.counter)
		})
	}
	// CAS: Paxos needs a quorum of the RF under the serial CL.
	for _, tc := range []struct {
		ks     string
		serial tg.ConsistencyLevel
		commit tg.ConsistencyLevel
		want   string
	}{
		{"Rf1", tg.ConsistencyLevel_SERIAL, tg.ConsistencyLevel_ALL, ok},
		{"Rf2", tg.ConsistencyLevel_SERIAL, tg.ConsistencyLevel_ONE, ue},
		{"Rf2", tg.ConsistencyLevel_LOCAL_SERIAL, tg.ConsistencyLevel_ANY, ue},
		{"Nts2D", tg.ConsistencyLevel_LOCAL_SERIAL, tg.ConsistencyLevel_ONE, ok},
		{"Nts2D", tg.ConsistencyLevel_SERIAL, tg.ConsistencyLevel_ONE, ue},
		{"Nts2D", tg.ConsistencyLevel_LOCAL_SERIAL, tg.ConsistencyLevel_EACH_QUORUM, ue},
		{"Rf1", tg.ConsistencyLevel_SERIAL, tg.ConsistencyLevel_TWO, ue},
	} {
		must(t, c.SetKeyspace(ctx, tc.ks))
		_, err := c.Cas(ctx, []byte("cas"), "cf", nil, []*tg.Column{col("c", "v", 1)}, tc.serial, tc.commit)
		check(t, fmt.Sprintf("cas %s %v/%v", tc.ks, tc.serial, tc.commit), err, tc.want)
		must(t, c.Truncate(ctx, "cf"))
	}
	// A read at SERIAL of several keys.
	must(t, c.SetKeyspace(ctx, "Rf1"))
	_, err := c.MultigetCount(ctx, [][]byte{[]byte("a"), []byte("b")}, parent("cf"), names("c"), tg.ConsistencyLevel_LOCAL_SERIAL)
	check(t, "multiget_count LOCAL_SERIAL 2 keys", err, "SERIAL/LOCAL_SERIAL consistency may only be requested for one partition at a time")
	// Duplicate keys still make two read commands (the key list is not
	// deduplicated before StorageProxy.read counts them).
	_, err = c.MultigetSlice(ctx, [][]byte{[]byte("a"), []byte("a")}, parent("cf"), names("c"), tg.ConsistencyLevel_SERIAL)
	check(t, "multiget_slice SERIAL duplicate key", err, "SERIAL/LOCAL_SERIAL consistency may only be requested for one partition at a time")
}
