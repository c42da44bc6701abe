package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/containerd/ttrpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "interop client: "+format+"\n", args...)
	os.Exit(1)
}

// runClient calls otklik.v1.Admin/Health and WhoAmI on our daemon with containerd's ttrpc client (Go) and
// checks the answers. Exit status 0 means the daemon speaks ttrpc as ttrpc itself does.
func runClient(socket string) {
	conn, err := net.Dial("unix", socket)
	if err != nil {
		fail("dial: %v", err)
	}
	client := ttrpc.NewClient(conn)
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	var health HealthResponse
	if err := client.Call(ctx, "otklik.v1.Admin", "Health", &HealthRequest{}, &health); err != nil {
		fail("Health: %v", err)
	}
	if health.State != 1 || health.Version == "" || health.SchemaVersion < 1 || health.OpenConnections < 1 {
		fail("Health answered %+v", health)
	}

	var me WhoAmIResponse
	if err := client.Call(ctx, "otklik.v1.Admin", "WhoAmI", &HealthRequest{}, &me); err != nil {
		fail("WhoAmI: %v", err)
	}
	// The daemon's own user is an admin: otklik.v1.Role ROLE_ADMIN = 5, sent as a packed enum.
	if me.Uid != uint32(os.Getuid()) || me.Pid != int32(os.Getpid()) || me.Login == "" || len(me.Roles) != 1 || me.Roles[0] != 5 {
		fail("WhoAmI answered %+v (want uid %d pid %d)", me, os.Getuid(), os.Getpid())
	}

	// Concurrent calls on one connection.
	errs := make(chan error, 32)
	for i := 0; i < 32; i++ {
		go func(i int) {
			var echo EchoResponse
			body := []byte(fmt.Sprintf("call %d", i))
			err := client.Call(ctx, "otklik.v1.Diagnostics", "Echo", &EchoRequest{Body: body, DelayMs: uint32(i % 4)}, &echo)
			if err == nil && string(echo.Body) != string(body) {
				err = fmt.Errorf("echo %q came back as %q", body, echo.Body)
			}
			errs <- err
		}(i)
	}
	for i := 0; i < 32; i++ {
		if err := <-errs; err != nil {
			fail("Echo: %v", err)
		}
	}

	// Status codes travel as ttrpc expects them.
	var nothing HealthResponse
	err = client.Call(ctx, "otklik.v1.Admin", "NoSuchMethod", &HealthRequest{}, &nothing)
	if status.Code(err) != codes.Unimplemented {
		fail("unknown method gave %v, want Unimplemented", err)
	}
	short, cancelShort := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancelShort()
	var echo EchoResponse
	err = client.Call(short, "otklik.v1.Diagnostics", "Echo", &EchoRequest{DelayMs: 2000}, &echo)
	// Both sides hold the same deadline: either the daemon's DEADLINE_EXCEEDED arrives first, or the
	// client's own context expires first; anything else (an answer, another code) is wrong.
	if status.Code(err) != codes.DeadlineExceeded && !errors.Is(err, context.DeadlineExceeded) {
		fail("slow call gave %v, want DeadlineExceeded", err)
	}

	fmt.Printf("go ttrpc client -> otklikd: Health %s schema %d, WhoAmI %s, 32 concurrent echoes, UNIMPLEMENTED and DEADLINE_EXCEEDED: ok\n",
		health.Version, health.SchemaVersion, me.Login)
}
