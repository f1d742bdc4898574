package server_test

import (
	"testing"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/server"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Consistency levels on a single node (reference §8).

func TestConsistencyLevels(t *testing.T) {
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
		eqRd  = "EACH_QUORUM ConsistencyLevel is only supported for writes"
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
