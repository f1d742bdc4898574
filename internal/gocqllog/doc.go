// Package gocqllog records what the gocql driver logs, for tests that
// show the driver's log when a connection fails or wait until the driver
// has handled an event:
//
//	log := &gocqllog.Recorder{}
//	cluster.Logger = log
//	s, err := cluster.CreateSession()
//	if err != nil {
//		t.Fatalf("connect: %v\ndriver log:\n%s", err, log)
//	}
//	log.WaitFor(t, "Handling event frame.", `change="CREATED"`)
package gocqllog
