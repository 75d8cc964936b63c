/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every KUnit case of the library's suites, as X(suite, case) lists: the
 * one place a case is named. suites.c turns the lists into struct
 * kunit_case arrays; kunit.h declares the C++ bodies from them, so a
 * listed case without a body fails to link and a body whose signature
 * differs fails to compile. Case names say the behaviour they prove.
 */
#ifndef KCXX_KUNIT_CASES_H
#define KCXX_KUNIT_CASES_H

#define KCXX_KUNIT_ERROR_CASES(X)                        \
	X(error, result_holds_value)                     \
	X(error, result_holds_error)                     \
	X(error, result_destroys_its_value_once)         \
	X(error, result_of_error_constructs_no_value)    \
	X(error, try_yields_the_value)                   \
	X(error, try_propagates_first_error_and_stops)   \
	X(error, result_void_carries_success_or_error)   \
	X(error, to_result_maps_kernel_returns)          \
	X(error, to_errno_is_zero_or_the_negative_errno) \
	X(error, from_errno_keeps_valid_errors)          \
	X(error, from_errno_clamps_bad_values_to_einval) \
	X(error, named_errors_equal_the_kernels)         \
	X(error, errors_compare_by_value)

#define KCXX_KUNIT_ALLOC_CASES(X)                                    \
	X(alloc, kbox_create_constructs_once_and_destroys_once)      \
	X(alloc, kbox_move_leaves_source_empty)                      \
	X(alloc, kbox_move_assignment_destroys_the_old_object)       \
	X(alloc, kbox_into_raw_from_raw_round_trip)                  \
	X(alloc, kbox_try_create_runs_init)                          \
	X(alloc, kbox_try_create_failed_init_destroys_the_object)    \
	X(alloc, kbox_allocation_failure_constructs_nothing)         \
	X(alloc, kvec_growth_keeps_elements)                         \
	X(alloc, kvec_reserve_allocates_once)                        \
	X(alloc, kvec_pop_moves_the_last_element_out)                \
	X(alloc, kvec_get_out_of_range_is_null)                      \
	X(alloc, kvec_push_failure_leaves_vector_unchanged)          \
	X(alloc, kvec_push_of_its_own_element_while_growing)         \
	X(alloc, kvec_reserve_overflow_is_enomem_without_allocating) \
	X(alloc, kvec_destruction_destroys_every_element_and_frees)  \
	X(alloc, kvec_on_kvmalloc_grows_past_kmalloc_sizes)          \
	X(alloc, gfp_new_returns_null_without_constructing)          \
	X(alloc, failslab_kbox_create_returns_enomem)                \
	X(alloc, failslab_kvec_push_leaves_vector_unchanged)         \
	X(alloc, failslab_gfp_kernel_kbox_create_returns_enomem)     \
	X(alloc, kvec_extend_appends_value_initialised_elements)     \
	X(alloc, kvec_extend_failure_leaves_vector_unchanged)        \
	X(alloc, kvec_truncate_destroys_the_tail)                    \
	X(alloc, kvec_resize_grows_with_zeroes_and_shrinks)          \
	X(alloc, failslab_kvec_extend_leaves_vector_unchanged)

#define KCXX_KUNIT_AREF_CASES(X)                             \
	X(aref, from_takes_a_reference)                      \
	X(aref, adopt_takes_none)                            \
	X(aref, copy_takes_a_reference_destruction_drops_it) \
	X(aref, move_transfers_without_counting)             \
	X(aref, assignment_balances)                         \
	X(aref, into_raw_gives_the_reference_up)             \
	X(aref, device_aref_keeps_kref_balanced)

#define KCXX_KUNIT_SYNC_CASES(X)                                   \
	X(sync, mutex_guard_gives_access_and_unlocks)              \
	X(sync, mutex_unlocks_on_early_return)                     \
	X(sync, mutex_unlocks_on_try_error_path)                   \
	X(sync, mutex_try_lock_is_ebusy_when_held)                 \
	X(sync, mutex_lock_interruptible_locks_and_unlocks)        \
	X(sync, mutex_moved_guard_unlocks_once)                    \
	X(sync, spinlock_guard_holds_until_scope_exit)             \
	X(sync, spinlock_irqsave_guards_restore_interrupts_nested) \
	X(sync, lock_class_differs_per_site_same_within_one)       \
	X(sync, nested_mutexes_of_distinct_sites_no_lockdep_report)

#define KCXX_KUNIT_IO_CASES(X)                                          \
	X(io, field_reads_its_bits)                                     \
	X(io, set_field_masks_oversized_values)                         \
	X(io, set_field_preserves_other_bits)                           \
	X(io, full_width_field)                                         \
	X(io, register_read_write_at_its_offset)                        \
	X(io, update_is_read_modify_write)                              \
	X(io, constant_offset_accessors)                                \
	X(io, try_access_in_bounds)                                     \
	X(io, try_access_past_the_end_is_einval)                        \
	X(io, try_access_unaligned_is_einval)                           \
	X(io, try_access_offset_overflow_is_einval)                     \
	X(io, read_block_reads_the_bytes_in_address_order)              \
	X(io, read_block_appends_after_existing_bytes)                  \
	X(io, read_block_misaligned_is_einval_and_leaves_out_unchanged) \
	X(io, read_block_out_of_range_or_overflow_is_einval)            \
	X(io, read_block_allocation_failure_leaves_out_unchanged)       \
	X(io, failslab_read_block_leaves_out_unchanged)

#define KCXX_KUNIT_BYTES_CASES(X)                                   \
	X(bytes, accessors_read_little_endian_in_range)             \
	X(bytes, accessors_at_the_exact_end_succeed)                \
	X(bytes, accessors_one_past_the_end_are_einval)             \
	X(bytes, offsets_near_size_max_are_einval_not_wrapped)      \
	X(bytes, empty_views_refuse_every_read)                     \
	X(bytes, sub_from_and_prefix_are_views_of_the_same_bytes)   \
	X(bytes, struct_reads_at_unaligned_offsets)                 \
	X(bytes, copy_to_copies_exactly_the_range)                  \
	X(bytes, matches_signatures)                                \
	X(bytes, find_with_step_and_start)                          \
	X(bytes, find_not_found_past_the_end_or_too_long_is_enoent) \
	X(bytes, find_empty_needle_or_zero_step_is_einval)          \
	X(bytes, reader_moves_on_success_only)                      \
	X(bytes, reader_cursor_unchanged_on_failure)                \
	X(bytes, view_of_a_kvec)

#define KCXX_KUNIT_TIME_CASES(X)                                                   \
	X(time, delta_conversions_and_saturation)                                  \
	X(time, instant_is_monotonic_and_fsleep_waits_at_least)                    \
	X(time, poll_immediate_success_reads_once)                                 \
	X(time, poll_succeeds_after_k_reads_with_the_value_that_met_the_condition) \
	X(time, poll_timeout_is_etimedout_after_at_least_the_timeout)              \
	X(time, poll_reads_once_more_after_the_deadline)                           \
	X(time, poll_op_error_propagates_without_further_reads)

#define KCXX_KUNIT_DEBUGFS_CASES(X)                                   \
	X(debugfs, dir_and_files_appear_and_go_with_the_dir)          \
	X(debugfs, blob_reads_the_bytes_in_place)                     \
	X(debugfs, files_are_read_only_even_for_root)                 \
	X(debugfs, text_file_shows_what_show_prints)                  \
	X(debugfs, text_file_longer_than_a_page)                      \
	X(debugfs, nested_dirs_keep_their_parent)                     \
	X(debugfs, failed_dir_is_inert_and_so_is_everything_under_it) \
	X(debugfs, failslab_every_allocation_failure_is_clean)        \
	X(debugfs, module_root_holds_per_device_dirs)                 \
	X(debugfs, removal_while_open_ends_every_read)

#define KCXX_KUNIT_AUXILIARY_CASES(X)                                          \
	X(auxiliary, registration_creates_the_device_under_its_parent)         \
	X(auxiliary, destroying_the_registration_removes_the_device)           \
	X(auxiliary, moved_registration_removes_once)                          \
	X(auxiliary, ids_unique_and_reused_after_destruction)                  \
	X(auxiliary, driver_probe_runs_and_its_drop_is_remove)                 \
	X(auxiliary, driver_probe_error_leaves_device_unbound)                 \
	X(auxiliary, driver_unregistration_removes_bound_data)                 \
	X(auxiliary, failslab_every_allocation_failure_is_clean)               \
	X(auxiliary, data_registration_gives_the_child_its_typed_data)         \
	X(auxiliary, data_registration_refuses_another_type)                   \
	X(auxiliary, data_registration_outlives_the_binding_and_is_freed_once) \
	X(auxiliary, data_registration_failslab_is_clean)

#define KCXX_KUNIT_DRM_CASES(X)                                       \
	X(drm, registration_registers_and_unplug_removes_the_node)    \
	X(drm, ioctl_reaches_the_handler_through_the_drm_core)        \
	X(drm, file_data_built_per_open_destroyed_on_close)           \
	X(drm, ioctl_after_unplug_is_enodev)                          \
	X(drm, data_destroyed_once_after_the_last_file_closes)        \
	X(drm, gem_handle_is_the_only_owner)                          \
	X(drm, gem_lookup_of_unknown_handle_is_enoent)                \
	X(drm, gem_create_rejects_unaligned_size)                     \
	X(drm, gem_objects_freed_when_the_file_closes)                \
	X(drm, failslab_gem_create_every_allocation_failure_is_clean) \
	X(drm, failslab_probe_every_allocation_failure_is_clean)      \
	X(drm, modeset_gives_an_empty_mode_configuration)             \
	X(drm, failslab_probe_with_modeset_every_allocation_failure_is_clean)

#define KCXX_KUNIT_VBIOS_CASES(X)                                               \
	X(vbios, parses_turing_rom_with_v2_descriptor)                          \
	X(vbios, parses_ga100_rom_behind_ifr_header_with_v2_descriptor)         \
	X(vbios, parses_ada_rom_with_efi_and_v3_descriptor)                     \
	X(vbios, skips_ifr_header_of_versions_1_2_and_3)                        \
	X(vbios, prod_application_preferred_over_dbg_listed_first)              \
	X(vbios, dbg_application_used_without_prod)                             \
	X(vbios, pmu_table_found_in_first_fwsec_image)                          \
	X(vbios, fwsec_images_after_efi_marked_last_in_pcir_are_walked)         \
	X(vbios, npde_length_overrides_pcir_length)                             \
	X(vbios, nbsi_image_ends_the_chain_whatever_its_flags)                  \
	X(vbios, no_rom_signature_is_enodev)                                    \
	X(vbios, error_names_structure_offset_and_problem)                      \
	X(vbios, truncation_at_every_length_fails_cleanly)                      \
	X(vbios, every_offset_and_length_field_at_edge_values_is_clean)         \
	X(vbios, zero_image_length_is_refused)                                  \
	X(vbios, endless_image_chain_stops_at_the_image_cap)                    \
	X(vbios, image_running_past_the_window_is_erange_within_1mib)           \
	X(vbios, bit_token_count_overrunning_the_image_is_erange)               \
	X(vbios, missing_bit_or_biosdata_is_enoent)                             \
	X(vbios, pmu_table_without_fwsec_keeps_version_fwsec_unavailable)       \
	X(vbios, unknown_descriptor_version_is_refused_fwsec_unavailable)       \
	X(vbios, descriptor_in_first_fwsec_image_is_refused)                    \
	X(vbios, falcon_data_pointer_into_pc_at_image_leaves_fwsec_unavailable) \
	X(vbios, ifr_header_errors_are_named)                                   \
	X(vbios, source_read_error_is_passed_on_with_the_rom_offset)            \
	X(vbios, prom_window_reads_the_bar_at_0x300000_within_1mib)             \
	X(vbios, version_formats_as_sysfs_shows_it)                             \
	X(vbios, image_type_and_application_names)                              \
	X(vbios, failslab_every_allocation_failure_is_clean)

#define KCXX_KUNIT_FB_LAYOUT_CASES(X)                                             \
	X(fb_layout, ad102_24g_every_region_by_hand)                              \
	X(fb_layout, tu102_8g_vga_register_and_libos2_heap_by_hand)               \
	X(fb_layout, ga100_40g_empty_frts_and_every_region_below_by_hand)         \
	X(fb_layout, without_firmware_only_vga_workspace_and_frts_for_several_sizes) \
	X(fb_layout, every_region_aligned_ordered_and_sized_for_several_sizes)    \
	X(fb_layout, wpr_heap_size_per_libos_version_and_clamped)                 \
	X(fb_layout, vga_workspace_from_register_only_with_display_and_valid_bit) \
	X(fb_layout, impossible_inputs_are_errors)                                \
	X(fb_layout, wpr_meta_filled_from_the_layout_by_hand)                    \
	X(fb_layout, fsp_sizes_per_chip_and_the_frts_vidmem_offset_rule)         \
	X(fb_layout, wpr_meta_from_sizes_has_sizes_and_no_offsets)

#define KCXX_KUNIT_FWSEC_CASES(X)                                            \
	X(fwsec, v3_dmem_gets_frts_command_and_fuse_selected_signature)      \
	X(fwsec, sb_gets_the_sb_command_and_the_same_signature)             \
	X(fwsec, v2_dmem_at_descriptor_offset_without_signature)             \
	X(fwsec, signature_index_counts_versions_below_the_fuse_version)     \
	X(fwsec, engine_mask_and_ucode_id_choose_the_fuse_register)          \
	X(fwsec, every_table_field_out_of_bounds_is_a_clean_error)           \
	X(fwsec, every_descriptor_field_out_of_bounds_is_a_clean_error)      \
	X(fwsec, rom_without_fwsec_gives_the_vbios_reason)                   \
	X(fwsec, frts_region_beyond_4k_units_is_erange)                      \
	X(fwsec, empty_frts_region_is_not_prepared)                          \
	X(fwsec, failslab_allocation_failure_is_enomem)

#define KCXX_KUNIT_FIRMWARE_CASES(X)                                                  \
	X(firmware, hs_header_load_header_and_signatures_parse)                       \
	X(firmware, hs_each_range_field_out_of_bounds_is_a_clean_error)               \
	X(firmware, hs_truncation_at_every_length_is_a_clean_error)                   \
	X(firmware, hs_bad_magic_metadata_size_and_signature_count_are_einval)        \
	X(firmware, signature_follows_the_fuse_version)                               \
	X(firmware, fuse_register_of_engine_and_ucode_id)                             \
	X(firmware, riscv_descriptor_parses_and_each_range_field_out_of_bounds_fails) \
	X(firmware, gen_bootloader_parses_and_each_range_field_out_of_bounds_fails)   \
	X(firmware, gsp_elf_sections_version_and_signature)                           \
	X(firmware, gsp_each_range_field_out_of_bounds_is_a_clean_error)              \
	X(firmware, gsp_truncation_at_every_length_is_a_clean_error)                  \
	X(firmware, gsp_header_fields_are_checked)                                    \
	X(firmware, fmc_elf_sections)                                                 \
	X(firmware, chip_file_sets_and_signature_sections)                            \
	X(firmware, radix3_sizes_of_the_real_images)                                  \
	X(firmware, library_request_of_a_missing_file_is_enoent)                      \
	X(firmware, library_name_too_long_is_einval_and_requests_nothing)             \
	X(firmware, library_empty_firmware_holds_no_bytes_and_moves)

#define KCXX_KUNIT_GPU_CASES(X)                                          \
	X(gpu, equal_reads_of_a_live_register_are_no_fault)              \
	X(gpu, all_ones_in_either_read_is_not_responding_and_enodev)     \
	X(gpu, priv_error_pattern_in_either_read_is_eio)                 \
	X(gpu, reads_that_differ_are_unstable_and_eio)                   \
	X(gpu, all_ones_outranks_priv_error_which_outranks_a_difference) \
	X(gpu, identify_takes_steady_reads_of_known_chips_only)          \
	X(gpu, fb_size_from_a_failed_read_is_unavailable)

#define KCXX_KUNIT_FALCON_CASES(X)                                  \
	X(falcon, registers_of_each_engine_at_their_absolute_offsets) \
	X(falcon, register_fields_at_their_bits)                     \
	X(falcon, dmatrfcmd_of_each_memory_on_every_engine)          \
	X(falcon, dma_chunks_offsets_and_the_last_partial_chunk)     \
	X(falcon, dma_imem_blocks_are_tagged_with_their_source_block) \
	X(falcon, hs_firmware_load_of_booter_and_its_dma_plan)        \
	X(falcon, hs_firmware_load_on_tu102_adds_the_os_code_by_pio)  \
	X(falcon, pio_imem_part_with_its_own_start_tag)              \
	X(falcon, gen_bootloader_load_below_64k_with_its_tag)        \
	X(falcon, fwsec_load_of_v2_and_v3_descriptors)               \
	X(falcon, dma_transfers_up_to_the_image_end_and_not_past_it) \
	X(falcon, dma_misaligned_dmem_source_or_image_is_einval)     \
	X(falcon, dma_length_arithmetic_that_overflows_is_eoverflow) \
	X(falcon, dma_address_past_49_bits_is_erange)                \
	X(falcon, dma_falcon_offset_past_24_bits_is_erange)          \
	X(falcon, dma_refuses_a_non_secure_imem_part)                \
	X(falcon, pio_words_blocks_tags_and_control_values)          \
	X(falcon, pio_parts_of_length_zero_are_absent_but_dmem)      \
	X(falcon, pio_length_not_a_multiple_of_4_is_einval)          \
	X(falcon, pio_bounds_of_source_destination_and_tags)         \
	X(falcon, load_plan_follows_the_hal)                         \
	X(falcon, hal_of_every_chipset)                              \
	X(falcon, hal_differences_and_timeouts)                      \
	X(falcon, brom_of_fwsec_from_its_v3_descriptor)              \
	X(falcon, brom_of_booter_from_its_hs_headers)                \
	X(falcon, brom_programmed_on_ga102_and_later_only)

#define KCXX_KUNIT_GSP_MSGQ_CASES(X)                                     \
	X(gsp_msgq, checksum_of_a_built_element_is_zero_and_catches_a_flip) \
	X(gsp_msgq, free_and_pending_slots_with_wrap_and_a_full_ring)      \
	X(gsp_msgq, a_large_command_is_split_into_continuation_records)   \
	X(gsp_msgq, an_element_written_across_the_end_is_read_back_whole) \
	X(gsp_msgq, every_check_of_a_received_message_names_its_error)    \
	X(gsp_msgq, the_registry_is_packed_as_openrm_packs_it)            \
	X(gsp_msgq, the_sequencer_parser_takes_each_opcode_and_refuses_overruns)

#define KCXX_KUNIT_GSP_RM_CASES(X)                                                   \
	X(gsp_rm, a_wait_returns_the_awaited_and_drops_events_replies_and_unknowns) \
	X(gsp_rm, the_sequencer_runs_every_opcode_in_order)                         \
	X(gsp_rm, a_failing_sequencer_command_stops_the_run_and_is_named)          \
	X(gsp_rm, system_info_puts_each_field_where_r570_reads_it)                 \
	X(gsp_rm, the_gpu_name_must_be_terminated_inside_its_field)                \
	X(gsp_rm, upstreams_registry_is_117_bytes_as_openrm_packs_it)

#define KCXX_KUNIT_FSP_CASES(X)                                            \
	X(fsp, cot_puts_every_field_at_its_packed_offset)                   \
	X(fsp, cot_pads_a_short_key_and_signature_with_zeroes)              \
	X(fsp, cot_version_per_chip)                                        \
	X(fsp, cot_refuses_sections_that_do_not_fit_and_writes_nothing)     \
	X(fsp, fmc_boot_params_are_80_bytes_in_r570s_layout)                \
	X(fsp, every_check_of_the_reply_refuses_with_its_own_reason)        \
	X(fsp, lockdown_release_decision_over_hwcfg2_and_the_mailboxes)     \
	X(fsp, a_gsp_already_running_is_told_from_hwcfg2_and_riscv_cpuctl)

#define KCXX_KUNIT_ALL_CASES(X)       \
	KCXX_KUNIT_ERROR_CASES(X)     \
	KCXX_KUNIT_ALLOC_CASES(X)     \
	KCXX_KUNIT_AREF_CASES(X)      \
	KCXX_KUNIT_SYNC_CASES(X)      \
	KCXX_KUNIT_IO_CASES(X)        \
	KCXX_KUNIT_BYTES_CASES(X)     \
	KCXX_KUNIT_TIME_CASES(X)      \
	KCXX_KUNIT_DEBUGFS_CASES(X)   \
	KCXX_KUNIT_AUXILIARY_CASES(X) \
	KCXX_KUNIT_DRM_CASES(X)       \
	KCXX_KUNIT_VBIOS_CASES(X)     \
	KCXX_KUNIT_FB_LAYOUT_CASES(X) \
	KCXX_KUNIT_FWSEC_CASES(X) \
	KCXX_KUNIT_FIRMWARE_CASES(X) \
	KCXX_KUNIT_GPU_CASES(X) \
	KCXX_KUNIT_FALCON_CASES(X) \
	KCXX_KUNIT_GSP_MSGQ_CASES(X) \
	KCXX_KUNIT_GSP_RM_CASES(X) \
	KCXX_KUNIT_FSP_CASES(X)

#endif /* KCXX_KUNIT_CASES_H */
