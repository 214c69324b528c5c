/**
 * The shared kernel: ids, problem responses, paging, settings, secrets and the database bootstrap.
 */
@NullMarked
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package dev.phork.common;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
