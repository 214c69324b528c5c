package dev.phork;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder in front of the test database, to take it away and bring it back: {@link #down}
 * closes the listening socket and cuts every open connection (as a crashed or unreachable server
 * would), {@link #up} listens again on the same port.
 */
public final class TcpProxy implements AutoCloseable {

	private final int targetPort;

	private final int port;

	private final List<Socket> open = new CopyOnWriteArrayList<>();

	private volatile ServerSocket server;

	public TcpProxy(int targetPort) throws IOException {
		this.targetPort = targetPort;
		ServerSocket first = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.port = first.getLocalPort();
		listen(first);
	}

	public int port() {
		return port;
	}

	public synchronized void up() throws IOException {
		if (server == null) {
			ServerSocket socket = new ServerSocket();
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
			listen(socket);
		}
	}

	public synchronized void down() throws IOException {
		if (server != null) {
			server.close();
			server = null;
		}
		for (Socket socket : open) {
			socket.close();
		}
		open.clear();
	}

	private void listen(ServerSocket socket) {
		server = socket;
		Thread.ofVirtual().start(() -> {
			while (!socket.isClosed()) {
				try {
					Socket client = socket.accept();
					Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
					open.add(client);
					open.add(target);
					pipe(client, target);
					pipe(target, client);
				}
				catch (IOException ex) {
					// Closed by down(), or the target refused: the client sees its connection end.
				}
			}
		});
	}

	private void pipe(Socket from, Socket to) {
		Thread.ofVirtual().start(() -> {
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				in.transferTo(out);
			}
			catch (IOException ex) {
				// One side went away.
			}
			finally {
				try {
					from.close();
					to.close();
				}
				catch (IOException ignored) {
					// Already closed.
				}
			}
		});
	}

	@Override
	public void close() throws IOException {
		down();
	}

}
