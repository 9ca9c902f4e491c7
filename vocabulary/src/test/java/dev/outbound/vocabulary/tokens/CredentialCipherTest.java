package dev.outbound.vocabulary.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CredentialCipherTest {

  private final CredentialCipher cipher = new CredentialCipher("a test key");

  @Test
  void decryptsWhatItEncryptedAndNeverStoresThePlainText() {
    String stored = cipher.encrypt("s3cret");

    assertThat(stored).startsWith("v1:").doesNotContain("s3cret");
    assertThat(cipher.decrypt(stored)).isEqualTo("s3cret");
  }

  @Test
  void rejectsAValueMadeWithAnotherKey() {
    String stored = new CredentialCipher("another key").encrypt("s3cret");

    assertThatThrownBy(() -> cipher.decrypt(stored)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsATamperedValue() {
    String stored = cipher.encrypt("s3cret");
    char last = stored.charAt(stored.length() - 2);
    String tampered = stored.substring(0, stored.length() - 2) + (last == 'A' ? 'B' : 'A') + "=";

    assertThatThrownBy(() -> cipher.decrypt(tampered)).isInstanceOf(IllegalStateException.class);
  }
}
