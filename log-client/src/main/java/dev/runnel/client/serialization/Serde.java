package dev.runnel.client.serialization;

/**
 * A matching serializer and deserializer for one type. {@link Serdes} has the built-in ones.
 *
 * @param <T> the type
 */
public interface Serde<T> {
  Serializer<T> serializer();

  Deserializer<T> deserializer();

  /** A serde from its two halves. */
  static <T> Serde<T> of(Serializer<T> serializer, Deserializer<T> deserializer) {
    return new Serde<>() {
      @Override
      public Serializer<T> serializer() {
        return serializer;
      }

      @Override
      public Deserializer<T> deserializer() {
        return deserializer;
      }
    };
  }
}
