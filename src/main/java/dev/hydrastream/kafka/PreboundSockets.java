package dev.hydrastream.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.server.ServerSocketFactory;

/**
 * Binds the client and controller listener sockets before the broker starts and hands them to its
 * socket server, so that their ports are known up front and cannot be taken meanwhile (the same
 * trick as the test kit's {@code PreboundSocketFactoryManager}).
 */
final class PreboundSockets implements ServerSocketFactory, AutoCloseable {
  final int brokerPort;
  final int controllerPort;
  private final Map<String, ServerSocketChannel> unused = new LinkedHashMap<>();

  PreboundSockets(int requestedBrokerPort) throws IOException {
    ServerSocketChannel brokerSocket = bind(requestedBrokerPort);
    try {
      ServerSocketChannel controllerSocket = bind(0);
      unused.put(EmbeddedKafka.BROKER_LISTENER, brokerSocket);
      unused.put(EmbeddedKafka.CONTROLLER_LISTENER, controllerSocket);
      brokerPort = brokerSocket.socket().getLocalPort();
      controllerPort = controllerSocket.socket().getLocalPort();
    } catch (IOException e) {
      Utils.closeQuietly(brokerSocket, "broker socket");
      throw e;
    }
  }

  private static ServerSocketChannel bind(int port) throws IOException {
    ServerSocketChannel channel = ServerSocketChannel.open();
    try {
      channel.configureBlocking(false); // as Kafka's own factory: the acceptor uses a selector
      channel.socket().bind(new InetSocketAddress(EmbeddedKafka.HOST, port), 50);
      return channel;
    } catch (IOException e) {
      Utils.closeQuietly(channel, "server socket");
      if (port != 0) {
        throw new PortInUseException(
            EmbeddedKafka.HOST + ":" + port + " is not available (" + e.getMessage() + ")", e);
      }
      throw e;
    }
  }

  @Override
  public synchronized ServerSocketChannel openServerSocket(
      String listenerName, InetSocketAddress address, int listenBacklogSize, int recvBufferSize)
      throws IOException {
    ServerSocketChannel channel = unused.remove(listenerName);
    if (channel != null) {
      return channel;
    }
    return ServerSocketFactory.INSTANCE.openServerSocket(
        listenerName, address, listenBacklogSize, recvBufferSize);
  }

  /** Closes sockets the broker never took (it closes the ones it took). */
  @Override
  public synchronized void close() {
    unused.values().forEach(c -> Utils.closeQuietly(c, "server socket"));
    unused.clear();
  }

  /** Thrown when the requested client port is taken. */
  static final class PortInUseException extends IOException {
    PortInUseException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
