package validate

import (
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/thriftgen"
)

const (
	ONE          = thriftgen.ConsistencyLevel_ONE
	QUORUM       = thriftgen.ConsistencyLevel_QUORUM
	LOCAL_QUORUM = thriftgen.ConsistencyLevel_LOCAL_QUORUM
	EACH_QUORUM  = thriftgen.ConsistencyLevel_EACH_QUORUM
	ALL          = thriftgen.ConsistencyLevel_ALL
	ANY          = thriftgen.ConsistencyLevel_ANY
	TWO          = thriftgen.ConsistencyLevel_TWO
	THREE        = thriftgen.ConsistencyLevel_THREE
	SERIAL       = thriftgen.ConsistencyLevel_SERIAL
	LOCAL_SERIAL = thriftgen.ConsistencyLevel_LOCAL_SERIAL
	LOCAL_ONE    = thriftgen.ConsistencyLevel_LOCAL_ONE
)

var allCLs = []thriftgen.ConsistencyLevel{ONE, QUORUM, LOCAL_QUORUM, EACH_QUORUM, ALL, ANY, TWO, THREE, SERIAL, LOCAL_SERIAL, LOCAL_ONE}

func TestCLValidation(t *testing.T) {
	const (
		anyRead    = "ANY ConsistencyLevel is only supported for writes"
		serialW    = "You must use conditional updates for serializable writes"
		counterA   = "Consistency level ANY is not yet supported for counter table Counter1"
		counterS   = "Counter operations are inherently non-serializable"
		casSerial  = "Invalid consistency for conditional update. Must be one of SERIAL or LOCAL_SERIAL"
		commitTail = ` is not supported as conditional update commit consistency. Use ANY if you mean "make sure it is accepted but I don't care how many replicas commit it for non-SERIAL reads"`
		eachSimple = "consistency level EACH_QUORUM not compatible with replication strategy (org.apache.cassandra.locator.SimpleStrategy)"
	)
	nts := keyspace(schema.NetworkTopologyStrategy, map[string]string{"datacenter1": "1"})
	// want lists the expected why per level, in allCLs order ("" = accepted).
	cases := []struct {
		name  string
		check func(thriftgen.ConsistencyLevel) *thriftgen.InvalidRequestException
		want  []string
	}{
		// 3.11's validateForRead refuses ANY only (EACH_QUORUM reads are
		// allowed since 3.0).
		{"read", CheckReadCL, []string{"", "", "", "", "", anyRead, "", "", "", "", ""}},
		{"write", CheckWriteCL, []string{"", "", "", "", "", "", "", "", serialW, serialW, ""}},
		{"counter write", func(cl thriftgen.ConsistencyLevel) *thriftgen.InvalidRequestException {
			return CheckCounterWriteCL(counter1, cl)
		},
			[]string{"", "", "", "", "", counterA, "", "", counterS, counterS, ""}},
		{"cas serial", CheckSerialCL, []string{casSerial, casSerial, casSerial, casSerial, casSerial, casSerial, casSerial, casSerial, "", "", casSerial}},
		{"cas commit simple", func(cl thriftgen.ConsistencyLevel) *thriftgen.InvalidRequestException { return CheckCommitCL(rf1, cl) },
			[]string{"", "", "", eachSimple, "", "", "", "", "SERIAL" + commitTail, "LOCAL_SERIAL" + commitTail, ""}},
		{"cas commit nts", func(cl thriftgen.ConsistencyLevel) *thriftgen.InvalidRequestException { return CheckCommitCL(nts, cl) },
			[]string{"", "", "", "", "", "", "", "", "SERIAL" + commitTail, "LOCAL_SERIAL" + commitTail, ""}},
	}
	for _, c := range cases {
		for i, cl := range allCLs {
			t.Run(c.name+"/"+cl.String(), func(t *testing.T) { wantIRE(t, c.check(cl), c.want[i]) })
		}
	}
}

func TestUnknownCL(t *testing.T) {
	for _, cl := range []thriftgen.ConsistencyLevel{0, 12, -1, 1 << 40} {
		want := "Invalid consistency level " + itoa64(int64(cl))
		wantIRE(t, CheckReadCL(cl), want)
		wantIRE(t, CheckWriteCL(cl), want)
		wantIRE(t, CheckCounterWriteCL(counter1, cl), want)
		wantIRE(t, CheckCommitCL(rf1, cl), want)
		wantIRE(t, CheckSerialCL(cl), "Invalid consistency for conditional update. Must be one of SERIAL or LOCAL_SERIAL")
	}
}

// TestAvailabilityTable is ConsistencyLevel.blockFor against one live
// replica (ConsistencyLevel.assureSufficientLiveNodes), RF 1-3 with
// SimpleStrategy.
func TestAvailabilityTable(t *testing.T) {
	want := map[thriftgen.ConsistencyLevel][3]bool{ // OK at RF=1,2,3
		ONE:          {true, true, true},
		LOCAL_ONE:    {true, true, true},
		ANY:          {true, true, true},
		TWO:          {false, false, false},
		THREE:        {false, false, false},
		QUORUM:       {true, false, false},
		SERIAL:       {true, false, false},
		LOCAL_QUORUM: {true, false, false},
		LOCAL_SERIAL: {true, false, false},
		EACH_QUORUM:  {true, false, false},
		ALL:          {true, false, false},
	}
	for cl, oks := range want {
		for i, ok := range oks {
			rf := itoa64(int64(i + 1))
			t.Run(cl.String()+"/RF"+rf, func(t *testing.T) {
				err := Available(simple(rf), cl)
				if ok != (err == nil) {
					t.Fatalf("Available = %v, want ok=%v", err, ok)
				}
			})
		}
	}
}

func TestAvailability(t *testing.T) {
	nts := func(opts map[string]string) *schema.Keyspace { return keyspace(schema.NetworkTopologyStrategy, opts) }
	local := &schema.Keyspace{Name: "system", StrategyClass: schema.LocalStrategy}
	cases := []struct {
		name string
		ks   *schema.Keyspace
		cl   thriftgen.ConsistencyLevel
		ok   bool
		req  int
	}{
		{"rf0 one", simple("0"), ONE, false, 1},
		{"rf0 local one", simple("0"), LOCAL_ONE, false, 1},
		{"rf0 any", simple("0"), ANY, true, 0},
		{"rf0 quorum", simple("0"), QUORUM, false, 1},
		{"rf0 all needs none", simple("0"), ALL, true, 0},
		{"rf10 one", simple("10"), ONE, true, 0},
		{"rf10 quorum", simple("10"), QUORUM, false, 6},
		{"rf10 all", simple("10"), ALL, false, 10},
		{"bad rf", simple("x"), ONE, false, 1},
		{"nts dc1", nts(map[string]string{"datacenter1": "1"}), ONE, true, 0},
		{"nts dc1 quorum", nts(map[string]string{"datacenter1": "1"}), QUORUM, true, 0},
		{"nts dc1 local quorum", nts(map[string]string{"datacenter1": "1"}), LOCAL_QUORUM, true, 0},
		{"nts dc1 each quorum", nts(map[string]string{"datacenter1": "1"}), EACH_QUORUM, true, 0},
		{"nts dc1=3 one", nts(map[string]string{"datacenter1": "3"}), ONE, true, 0},
		{"nts dc1=3 local quorum", nts(map[string]string{"datacenter1": "3"}), LOCAL_QUORUM, false, 2},
		{"nts no dc1", nts(map[string]string{"dc2": "1"}), ONE, false, 1},
		{"nts no dc1 local one", nts(map[string]string{"dc2": "1"}), LOCAL_ONE, false, 1},
		{"nts no dc1 any", nts(map[string]string{"dc2": "1"}), ANY, true, 0},
		{"nts dc1=0", nts(map[string]string{"datacenter1": "0"}), ONE, false, 1},
		{"nts two dcs one", nts(map[string]string{"datacenter1": "1", "dc2": "1"}), ONE, true, 0},
		{"nts two dcs quorum", nts(map[string]string{"datacenter1": "1", "dc2": "1"}), QUORUM, false, 2},
		{"nts two dcs local quorum", nts(map[string]string{"datacenter1": "1", "dc2": "1"}), LOCAL_QUORUM, true, 0},
		{"nts two dcs each quorum", nts(map[string]string{"datacenter1": "1", "dc2": "1"}), EACH_QUORUM, false, 1},
		{"local strategy", local, ONE, true, 0},
		{"local strategy all", local, ALL, true, 0},
		{"local strategy two", local, TWO, false, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Available(c.ks, c.cl)
			if c.ok {
				if err != nil {
					t.Fatalf("unexpected %v", err)
				}
				return
			}
			var ue *UnavailableError
			if !errors.As(err, &ue) {
				t.Fatalf("got %v, want UnavailableError", err)
			}
			if ue.Required != c.req || ue.CL != c.cl {
				t.Fatalf("got %+v, want required %d", ue, c.req)
			}
			if !errors.Is(err, ErrUnavailable) {
				t.Fatal("errors.Is(ErrUnavailable) is false")
			}
			var thrift *thriftgen.UnavailableException
			if !errors.As(err, &thrift) {
				t.Fatal("errors.As(*thriftgen.UnavailableException) is false")
			}
		})
	}
}

func TestUnavailableErrorText(t *testing.T) {
	err := Available(simple("3"), QUORUM)
	if got, want := err.Error(), "Cannot achieve consistency level QUORUM (required 2, alive 1)"; got != want {
		t.Fatalf("got %q want %q", got, want)
	}
}

func itoa64(v int64) string { return strconv.FormatInt(v, 10) }

func TestBlockFor(t *testing.T) {
	nts := keyspace(schema.NetworkTopologyStrategy, map[string]string{"datacenter1": "3", "dc2": "2"})
	cases := []struct {
		ks   *schema.Keyspace
		cl   thriftgen.ConsistencyLevel
		want int
	}{
		{simple("3"), ONE, 1}, {simple("3"), LOCAL_ONE, 1}, {simple("3"), ANY, 1},
		{simple("3"), TWO, 2}, {simple("3"), THREE, 3},
		{simple("3"), QUORUM, 2}, {simple("3"), SERIAL, 2}, {simple("4"), QUORUM, 3},
		{simple("3"), ALL, 3}, {simple("0"), ALL, 0},
		{simple("3"), LOCAL_QUORUM, 2}, {simple("3"), LOCAL_SERIAL, 2}, {simple("3"), EACH_QUORUM, 2},
		{nts, QUORUM, 3}, {nts, ALL, 5}, {nts, LOCAL_QUORUM, 2}, {nts, EACH_QUORUM, 2 + 2},
	}
	for _, c := range cases {
		if got := BlockFor(c.ks, c.cl); got != c.want {
			t.Errorf("BlockFor(%s %v, %s) = %d, want %d", c.ks.StrategyClass, c.ks.StrategyOptions, c.cl, got, c.want)
		}
	}
	if LiveReplicas(nts) != 1 || LiveReplicas(simple("0")) != 0 {
		t.Error("LiveReplicas")
	}
}

func TestMarshalMessage(t *testing.T) {
	if got := MarshalMessage(errors.New("plain")); got != "plain" {
		t.Fatalf("got %q", got)
	}
	err := codecLong.Validate([]byte{1})
	if got := MarshalMessage(fmt.Errorf("wrapped: %w", err)); got != "Expected 8 or 0 byte long (1)" {
		t.Fatalf("got %q", got)
	}
}

var codecLong = codec.Long
