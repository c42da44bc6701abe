package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/containerd/ttrpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// runServer is a containerd ttrpc server (Go) that serves otklik.v1.Admin/Health and WhoAmI with fixed answers,
// so our Swift client (the otklik CLI) can be checked against a real ttrpc peer.
func runServer(socket string) {
	server, err := ttrpc.NewServer()
	if err != nil {
		panic(err)
	}
	server.Register("otklik.v1.Admin", map[string]ttrpc.Method{
		"Health": func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
			var request HealthRequest
			if err := unmarshal(&request); err != nil {
				return nil, err
			}
			return &HealthResponse{State: 1, Version: "go-ttrpc", UptimeSeconds: 42, SchemaVersion: 7, OpenConnections: 1, StartedAtUnix: 1764400000, EventCount: 3}, nil
		},
		"WhoAmI": func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
			return nil, status.Error(codes.PermissionDenied, "go server says no")
		},
	})
	listener, err := net.Listen("unix", socket)
	if err != nil {
		panic(err)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		server.Close()
		os.Exit(0)
	}()
	fmt.Println("ready")
	server.Serve(context.Background(), listener)
}
